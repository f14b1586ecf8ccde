// JSON-lines logging. nlohmann::json does the escaping, so a case id or a field
// value can never break a line or forge a key.
#include <array>
#include <cmath>
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "escalator/util/logger.hpp"
#include "escalator/util/time.hpp"

namespace escalator {
namespace {

constexpr std::array<std::string_view, 4> kLevelNames{"debug", "info", "warn", "error"};

// The keys every line has; a field of the same name must not overwrite them.
bool reserved(std::string_view key) {
  return key == "time" || key == "level" || key == "msg" || key == "case";
}

}  // namespace

std::string_view to_string(LogLevel level) {
  const auto i = static_cast<std::size_t>(level);
  return i < kLevelNames.size() ? kLevelNames[i] : "unknown";
}

Result<LogLevel> parse_log_level(std::string_view text) {
  for (std::size_t i = 0; i < kLevelNames.size(); ++i) {
    if (text == kLevelNames[i]) return static_cast<LogLevel>(i);
  }
  return fail(ErrorCode::kInvalidArgument,
              "Expected a log level (debug, info, warn, error), but got '" + std::string(text) +
                  "'");
}

void JsonLinesLogger::log(const LogRecord& record) {
  if (record.level < threshold_) return;
  // A log line is never worth failing the command that wrote it, so nothing
  // thrown here (allocation, a stream set to throw) leaves this function.
  try {
    nlohmann::ordered_json line;
    line["time"] = format_time(SystemClock{}.now());
    line["level"] = to_string(record.level);
    line["msg"] = record.message;
    if (!record.case_id.empty()) line["case"] = record.case_id;
    for (const auto& [key, value] : record.fields) {
      line[reserved(key) ? "field." + std::string(key) : std::string(key)] = value;
    }
    for (const auto& [key, value] : record.numbers) {
      auto& field = line[reserved(key) ? "field." + std::string(key) : std::string(key)];
      // A whole number is written as one (200, not 200.0).
      const bool whole = std::abs(value) < 1e15 && value == static_cast<double>(static_cast<std::int64_t>(value));
      if (whole) {
        field = static_cast<std::int64_t>(value);
      } else {
        field = value;
      }
    }
    // `replace`: text cut in the middle of a UTF-8 character is logged with
    // U+FFFD rather than throwing.
    const std::string text =
        line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    std::lock_guard<std::mutex> lock(mutex_);
    out_ << text << '\n';
    out_.flush();
  } catch (const std::exception&) {
  }
}

}  // namespace escalator

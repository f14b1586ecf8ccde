#include "request_log.hpp"

#include <algorithm>
#include <random>

namespace escalator::http {

namespace {
constexpr std::size_t kMaxRequestIdBytes = 200;
}  // namespace

std::string random_hex() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (int i = 0; i < 2; ++i) {
    auto bits = random();
    for (int j = 0; j < 16; ++j, bits >>= 4) hex += kHex[bits & 15];
  }
  return hex;
}

std::string request_id_of(const Request& request) {
  const auto given = request.header("x-request-id");
  const bool usable = !given.empty() && given.size() <= kMaxRequestIdBytes &&
                      std::all_of(given.begin(), given.end(), [](char c) {
                        return c > ' ' && c < 0x7f && c != '"' && c != '\\';
                      });
  return usable ? std::string(given) : random_hex();
}

void log_request(Logger* log, const RequestLine& line) noexcept {
  if (log == nullptr) return;
  // A log line is never worth failing the request it describes.
  try {
    // Milliseconds to the microsecond, as a person reads a duration.
    const double millis = static_cast<double>(static_cast<long long>(line.seconds * 1e6)) / 1000.0;
    LogRecord record{LogLevel::kInfo, "request", line.case_id,
                     {{"request_id", line.id}, {"method", line.method}, {"route", line.route}},
                     {{"status", static_cast<double>(line.status)}, {"duration_ms", millis}}};
    if (!line.client.empty()) record.fields.emplace_back("client", line.client);
    if (!line.key.empty()) record.fields.emplace_back("key", line.key);
    log->log(record);
  } catch (...) {
  }
}

}  // namespace escalator::http

// Logging through an injected Logger. The engine logs what happened to which
// case, never who the resident is: the API takes a case id and a fixed set of
// fields, and the engine never puts a reporter, phone number or content in them.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "escalator/util/result.hpp"

namespace escalator {

enum class LogLevel : std::uint8_t { kDebug, kInfo, kWarn, kError };
std::string_view to_string(LogLevel level);
// "debug", "info", "warn", "error".
[[nodiscard]] Result<LogLevel> parse_log_level(std::string_view text);

struct LogRecord {
  LogLevel level = LogLevel::kInfo;
  std::string_view message;  // what happened: "command decided", "command refused"
  std::string_view case_id;  // may be empty
  std::vector<std::pair<std::string_view, std::string_view>> fields;
  // Written as JSON numbers: a status, a duration.
  std::vector<std::pair<std::string_view, double>> numbers{};
};

// Implementations must be thread-safe: the engine logs from its worker threads.
// They should not throw; the engine drops a record whose logging throws rather
// than fail the command it describes.
class Logger {
 public:
  virtual ~Logger() = default;
  virtual void log(const LogRecord& record) = 0;
};

// Writes each record at or above `threshold` as one JSON line:
// {"time":"...","level":"info","msg":"command decided","case":"370811-...","command":"accept"}
// The time is the system clock's: a log line says when it was written. The
// stream is borrowed and must outlive the logger; writes are serialized by a
// mutex. Invalid UTF-8 in a field is replaced, never thrown.
class JsonLinesLogger final : public Logger {
 public:
  JsonLinesLogger(std::ostream& out, LogLevel threshold) : out_(out), threshold_(threshold) {}
  void log(const LogRecord& record) override;

 private:
  std::mutex mutex_;
  std::ostream& out_;
  LogLevel threshold_;
};

// Passes on to `next` the records at or above `threshold`: loggers of
// different thresholds that write one stream through one JsonLinesLogger, so
// that their lines never interleave (a service's request log beside the
// engine's own).
class LevelFilter final : public Logger {
 public:
  LevelFilter(std::shared_ptr<Logger> next, LogLevel threshold) : next_(std::move(next)), threshold_(threshold) {}
  void log(const LogRecord& record) override {
    if (record.level >= threshold_) next_->log(record);
  }

 private:
  std::shared_ptr<Logger> next_;
  LogLevel threshold_;
};

// Discards everything.
class NullLogger final : public Logger {
 public:
  void log(const LogRecord&) override {}
};

}  // namespace escalator

// JSON text written straight into a string, for the records the store writes
// with every command (events, snapshots, timers, outbox records).
//
// Building an nlohmann object and dumping it allocates a node per field, which
// made encoding a command's records the largest CPU cost of a durable command.
// This writer produces the same bytes as nlohmann's dump() with no indent and
// ensure_ascii off: members in the order written, no spaces, '"' '\\' \b \f \n
// \r \t escaped by name and other control characters as \u00xx (lowercase hex),
// everything else, multi-byte UTF-8 included, as it is. Stored records
// written before it read the same, and a test compares it with nlohmann's.
//
// It does not repair invalid UTF-8 (nlohmann replaces it with U+FFFD): it
// notes it, and the caller falls back to nlohmann for that record. Intake
// refuses invalid UTF-8, so the fallback is for data from elsewhere.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace escalator {

// Whether `text` is well-formed UTF-8 (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF).
bool is_utf8(std::string_view text);

class JsonText {
 public:
  explicit JsonText(std::string& out) : out_(out) {}

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }
  // A member's name; its value is written next.
  void key(std::string_view name);

  void value(std::string_view text);
  void value(const char* text) { value(std::string_view(text)); }
  void value(bool b);
  void value(std::uint64_t n);
  void value(std::int64_t n);
  void value(int n) { value(static_cast<std::int64_t>(n)); }

  // False once a string that is not valid UTF-8 was written.
  bool utf8() const { return utf8_; }

 private:
  void separate() {
    if (need_comma_) out_.push_back(',');
  }
  void open(char c) {
    separate();
    out_.push_back(c);
    need_comma_ = false;
  }
  void close(char c) {
    out_.push_back(c);
    need_comma_ = true;
  }
  void quoted(std::string_view text);
  template <typename Integer>
  void integer(Integer n);

  std::string& out_;
  bool need_comma_ = false;
  bool utf8_ = true;
};

}  // namespace escalator

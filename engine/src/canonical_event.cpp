// An event's canonical bytes (history.hpp), written straight from its fields:
// the same bytes as canonical_json(event_body_json(event)), which a test
// holds it to, without building and sorting a JSON object first. Sealing runs
// for every event the engine decides, and building the object cost more than
// deciding the command.
#include "event_json.hpp"

#include <algorithm>
#include <cstring>
#include <type_traits>
#include <vector>

#include "json_text.hpp"
#include "record_fields.hpp"

namespace escalator {
namespace {

using namespace record_fields;

// Writes one JSON object's members into a scratch buffer as they come, then
// the object with its members sorted by name. Names are the ASCII names of
// record_fields.hpp, for which byte order is RFC 8785's UTF-16 order.
class SortedObject {
 public:
  explicit SortedObject(bool& utf8) : utf8_(utf8) {}

  template <typename T>
  void operator()(const char* key, const T& v) {
    members_.push_back({key, scratch_.size(), 0});
    value(v);
    members_.back().end = scratch_.size();
  }
  template <typename T>
  void operator()(const char* key, const std::optional<T>& v) {
    if (v) (*this)(key, *v);
  }
  // A member whose value is an object written by `write(SortedObject&)`.
  template <typename Write>
  void object(const char* key, Write write) {
    members_.push_back({key, scratch_.size(), 0});
    SortedObject inner(utf8_);
    write(inner);
    inner.finish(scratch_);
    members_.back().end = scratch_.size();
  }

  void finish(std::string& out) {
    std::sort(members_.begin(), members_.end(),
              [](const Member& a, const Member& b) { return std::strcmp(a.key, b.key) < 0; });
    out.push_back('{');
    for (std::size_t i = 0; i < members_.size(); ++i) {
      if (i > 0) out.push_back(',');
      out.push_back('"');
      out += members_[i].key;
      out += "\":";
      out.append(scratch_, members_[i].begin, members_[i].end - members_[i].begin);
    }
    out.push_back('}');
  }

 private:
  struct Member {
    const char* key;
    std::size_t begin;
    std::size_t end;
  };

  void text(std::string_view v) {
    JsonText writer(scratch_);
    writer.value(v);
    utf8_ = utf8_ && writer.utf8();
  }
  void value(const std::string& v) { text(v); }
  void value(bool v) { scratch_ += v ? "true" : "false"; }
  void value(int v) { scratch_ += std::to_string(v); }
  void value(std::uint64_t v) { scratch_ += std::to_string(v); }
  void value(Timestamp v) { text(format_time(v)); }
  void value(const Duration& v) { text(format_duration(v)); }
  template <typename E>
    requires std::is_enum_v<E>
  void value(E v) {
    text(to_string(v));
  }
  template <typename T>
  void value(const std::vector<T>& v) {
    scratch_.push_back('[');
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i > 0) scratch_.push_back(',');
      value(v[i]);
    }
    scratch_.push_back(']');
  }
  template <Nested T>
  void value(const T& v) {
    SortedObject inner(utf8_);
    fields(inner, v);
    inner.finish(scratch_);
  }

  bool& utf8_;
  std::string scratch_;
  std::vector<Member> members_;
};

}  // namespace

Result<std::string> canonical_event_text(const Event& event) {
  bool utf8 = true;
  SortedObject body(utf8);
  envelope(body, event);
  body.object("data", [&](SortedObject& data) { std::visit([&](const auto& p) { fields(data, p); }, event.payload); });
  std::string out;
  out.reserve(512);
  body.finish(out);
  if (!utf8) return fail(ErrorCode::kInvalidArgument, "canonical JSON: a text of the event is not UTF-8");
  return out;
}

}  // namespace escalator

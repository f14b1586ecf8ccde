// An event's canonical bytes (history.hpp), written straight from its fields:
// the same bytes as canonical_json(event_body_json(event)), which a test
// holds it to, without building and sorting a JSON object first. Sealing runs
// for every event the engine decides, and building the object cost more than
// deciding the command.
#include "event_json.hpp"

#include <algorithm>
#include <cstring>
#include <deque>
#include <type_traits>
#include <vector>

#include "json_text.hpp"
#include "record_fields.hpp"

namespace escalator {
namespace {

using namespace record_fields;

struct Member {
  const char* key;
  std::size_t begin;
  std::size_t end;
};

// The scratch space of one object: its members' values as they come, and
// where each lies.
struct Scratch {
  std::string values;
  std::vector<Member> members;
};

// Writes one JSON object's members into a scratch buffer as they come, then
// the object with its members sorted by name. Names are the ASCII names of
// record_fields.hpp, for which byte order is RFC 8785's UTF-16 order.
//
// An object's scratch is borrowed from this thread's, one per depth of
// nesting: an object is done before the next at its depth begins, and
// reusing the buffers' storage spares a few allocations per object.
class SortedObject {
 public:
  SortedObject(bool& utf8, std::size_t depth)
      : utf8_(utf8), depth_(depth), scratch_(borrow(depth)) {}

  template <typename T>
  void operator()(const char* key, const T& v) {
    scratch_.members.push_back({key, scratch_.values.size(), 0});
    value(v);
    scratch_.members.back().end = scratch_.values.size();
  }
  template <typename T>
  void operator()(const char* key, const std::optional<T>& v) {
    if (v) (*this)(key, *v);
  }
  // A member whose value is an object written by `write(SortedObject&)`.
  template <typename Write>
  void object(const char* key, Write write) {
    scratch_.members.push_back({key, scratch_.values.size(), 0});
    SortedObject inner(utf8_, depth_ + 1);
    write(inner);
    inner.finish(scratch_.values);
    scratch_.members.back().end = scratch_.values.size();
  }

  void finish(std::string& out) {
    auto& members = scratch_.members;
    std::sort(members.begin(), members.end(),
              [](const Member& a, const Member& b) { return std::strcmp(a.key, b.key) < 0; });
    out.push_back('{');
    for (std::size_t i = 0; i < members.size(); ++i) {
      if (i > 0) out.push_back(',');
      out.push_back('"');
      out += members[i].key;
      out += "\":";
      out.append(scratch_.values, members[i].begin, members[i].end - members[i].begin);
    }
    out.push_back('}');
  }

 private:
  // A deque, so that growing it for a deeper object leaves the shallower
  // objects' scratch where they hold it.
  static Scratch& borrow(std::size_t depth) {
    thread_local std::deque<Scratch> by_depth;
    if (depth == by_depth.size()) by_depth.emplace_back();
    Scratch& scratch = by_depth[depth];
    scratch.values.clear();
    scratch.members.clear();
    return scratch;
  }

  void text(std::string_view v) {
    JsonText writer(scratch_.values);
    writer.value(v);
    utf8_ = utf8_ && writer.utf8();
  }
  void value(const std::string& v) { text(v); }
  void value(bool v) { scratch_.values += v ? "true" : "false"; }
  void value(int v) { scratch_.values += std::to_string(v); }
  void value(std::uint64_t v) { scratch_.values += std::to_string(v); }
  void value(Timestamp v) { text(format_time(v)); }
  void value(const Duration& v) { text(format_duration(v)); }
  template <typename E>
    requires std::is_enum_v<E>
  void value(E v) {
    text(to_string(v));
  }
  template <typename T>
  void value(const std::vector<T>& v) {
    scratch_.values.push_back('[');
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i > 0) scratch_.values.push_back(',');
      value(v[i]);
    }
    scratch_.values.push_back(']');
  }
  template <Nested T>
  void value(const T& v) {
    SortedObject inner(utf8_, depth_ + 1);
    fields(inner, v);
    inner.finish(scratch_.values);
  }

  bool& utf8_;
  std::size_t depth_;
  Scratch& scratch_;
};

}  // namespace

Result<std::string> canonical_event_text(const Event& event) {
  bool utf8 = true;
  SortedObject body(utf8, 0);
  envelope(body, event);
  body.object("data", [&](SortedObject& data) { std::visit([&](const auto& p) { fields(data, p); }, event.payload); });
  std::string out;
  out.reserve(512);
  body.finish(out);
  if (!utf8) return fail(ErrorCode::kInvalidArgument, "canonical JSON: a text of the event is not UTF-8");
  return out;
}

}  // namespace escalator

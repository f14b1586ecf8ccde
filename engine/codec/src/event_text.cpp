// event_from_text() and case_from_text() (event_json.hpp): stored events and
// snapshots read fast, for replay and audit, which read every event, and for
// every case the store loads. simdjson parses the text into its tape,
// validating all of it (UTF-8 included) as nlohmann would, with the
// processor's vector instructions chosen at run time; the fields are then read
// off the tape through the same field lists as the full reader. This is the
// one file that includes simdjson.h, which is large.
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <concepts>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "event_json.hpp"
#include "event_reading.hpp"
#include "record_fields.hpp"

namespace escalator {
namespace {

using namespace record_fields;
using namespace event_reading;
using simdjson::dom::element;

// The envelope's "data" member, handed on whole to the payload's reader.
struct DataMember {
  element value;
};

// The walk over an event's top-level members: the envelope, then "data".
void top_level(auto& io, Event& event, std::string& type_name, DataMember& data) {
  read_envelope(io, event, type_name);
  io("data", data);
}

// A key as the table compares it: its size and up to 16 of its bytes, read
// as two words, so that telling two keys of at most 16 bytes apart takes no
// call to memcmp. No byte outside the key is read.
struct KeyWords {
  explicit KeyWords(std::string_view key) : size(key.size()) {
    const auto* p = key.data();
    if (size >= 8) {
      std::memcpy(&head, p, 8);
      std::memcpy(&tail, p + std::min<std::size_t>(size, 16) - 8, 8);
    } else if (size >= 4) {
      std::uint32_t a = 0, b = 0;
      std::memcpy(&a, p, 4);
      std::memcpy(&b, p + size - 4, 4);
      head = a;
      tail = b;
    } else {
      for (std::size_t i = 0; i < size; ++i) head = head << 8 | static_cast<unsigned char>(p[i]);
    }
  }
  bool operator==(const KeyWords&) const = default;

  std::size_t size;
  std::uint64_t head = 0;
  std::uint64_t tail = 0;
};

// The names one walk over a record's fields reads, sorted, each with its
// place in the walk: canonical text sorts an object's keys, so its members
// meet the sorted names in order and each is placed at the first try, or
// after the absent optional fields before it.
class FieldTable {
 public:
  static constexpr std::size_t kMostFields = 64;  // a bit each; no record has more

  template <typename Walk>
  explicit FieldTable(Walk walk) {
    walk(*this);
    std::sort(sorted_.begin(), sorted_.end());
    for (const auto& [name, at] : sorted_) words_.emplace_back(name);
  }

  // The walk's calls, recorded.
  template <typename T>
  void operator()(const char* key, T&) {
    add(key, true);
  }
  template <typename T>
  void operator()(const char* key, std::optional<T>&) {
    add(key, false);
  }

  std::uint64_t required() const { return required_; }
  bool usable() const { return count_ <= kMostFields; }
  // The place in the walk of the field named `key`, looked for first at
  // `cursor` and after it, where the next member of a canonical text is.
  std::optional<std::size_t> place(std::string_view key, std::size_t& cursor) const {
    const KeyWords words(key);
    for (auto at = cursor; at < sorted_.size(); ++at) {
      if (words_[at] == words && (key.size() <= 16 || sorted_[at].first == key)) {
        cursor = at + 1;
        return sorted_[at].second;
      }
    }
    const auto at = std::lower_bound(sorted_.begin(), sorted_.end(), std::pair{key, std::size_t{0}});
    if (at == sorted_.end() || at->first != key) return std::nullopt;
    return at->second;
  }

 private:
  void add(const char* key, bool required) {
    if (required && count_ < kMostFields) required_ |= std::uint64_t{1} << count_;
    sorted_.emplace_back(key, count_++);
  }

  std::vector<std::pair<std::string_view, std::size_t>> sorted_;
  std::vector<KeyWords> words_;  // of sorted_'s names, in its order
  std::size_t count_ = 0;
  std::uint64_t required_ = 0;
};

template <typename T>
const FieldTable& table_of() {
  static const FieldTable table([](auto& names) {
    T blank{};
    fields(names, blank);
  });
  return table;
}

const FieldTable& top_level_table() {
  static const FieldTable table([](auto& names) {
    Event event;
    std::string type_name;
    DataMember data;
    top_level(names, event, type_name, data);
  });
  return table;
}

// Reads what event_json.cpp's Reader reads, from one object of simdjson's
// tape, in two steps: place() puts each member at its field's place in the
// walk, then the walk reads each field from its place. It says only whether
// everything read; on any problem the caller reads the text again with
// Reader, which names the problem. So it refuses whatever Reader refuses, and
// also what Reader would read but no stored record holds (an unknown or a
// repeated key), which Reader then reads.
class TapeReader {
 public:
  TapeReader(simdjson::dom::object object, const FieldTable& table) {
    ok_ = table.usable() && place(object, table);
  }
  bool ok() const { return ok_; }

  template <typename T>
  void operator()(const char* /*key*/, T& out) {
    const auto at = next_++;
    if (!ok_) return;
    if (present(at)) {
      value(at_place_[at].value, out);
    } else {
      ok_ = false;
    }
  }
  template <typename T>
  void operator()(const char* /*key*/, std::optional<T>& out) {
    const auto at = next_++;
    out.reset();
    if (!ok_ || !present(at)) return;
    T item{};
    value(at_place_[at].value, item);
    if (ok_) out = std::move(item);
  }

 private:
  bool place(simdjson::dom::object object, const FieldTable& table) {
    std::size_t cursor = 0;
    std::uint64_t present = 0;  // kept in a register, not written back member by member
    for (const auto member : object) {
      const auto at = table.place(member.key, cursor);
      if (!at || ((present >> *at) & 1) != 0) return false;
      present |= std::uint64_t{1} << *at;
      at_place_[*at].value = member.value;
    }
    present_ = present;
    return (present & table.required()) == table.required();
  }
  bool present(std::size_t at) const { return (present_ >> at) & 1; }

  template <typename T>
  void take(simdjson::simdjson_result<T> read, T& out) {
    if (std::move(read).get(out) != simdjson::SUCCESS) ok_ = false;
  }
  void value(const element& v, DataMember& out) { out.value = v; }
  void value(const element& v, std::string& out) {
    std::string_view text;
    take(v.get_string(), text);
    if (ok_) out.assign(text);
  }
  void value(const element& v, bool& out) { take(v.get_bool(), out); }
  // simdjson keeps an integer as int64 when it fits and as uint64 above that.
  template <std::integral I>
    requires(!std::same_as<I, bool>)
  void value(const element& v, I& out) {
    if (std::int64_t i = 0; v.get_int64().get(i) == simdjson::SUCCESS) {
      ok_ = ok_ && std::in_range<I>(i);
      out = static_cast<I>(i);
    } else if (std::uint64_t u = 0; v.get_uint64().get(u) == simdjson::SUCCESS) {
      ok_ = ok_ && std::in_range<I>(u);
      out = static_cast<I>(u);
    } else {
      ok_ = false;
    }
  }
  template <typename T>
  void value(const element& v, std::vector<T>& out) {
    simdjson::dom::array items;
    if (v.get_array().get(items) != simdjson::SUCCESS) {
      ok_ = false;
      return;
    }
    out.clear();
    out.reserve(items.size());
    for (const element item : items) {
      T read{};
      value(item, read);
      if (!ok_) return;
      out.push_back(std::move(read));
    }
  }
  template <typename T, typename Parse>
  void parsed(const element& v, T& out, Parse parse) {
    std::string_view text;
    take(v.get_string(), text);
    if (!ok_) return;
    auto read = parse(text);
    if (read) {
      out = *read;
    } else {
      ok_ = false;
    }
  }
  void value(const element& v, Timestamp& out) { parsed(v, out, parse_time); }
  void value(const element& v, Duration& out) { parsed(v, out, parse_duration); }
  template <typename E>
    requires std::is_enum_v<E>
  void value(const element& v, E& out) {
    parsed(v, out, [](std::string_view s) { return parse_enum(s, static_cast<E*>(nullptr)); });
  }
  template <Nested T>
  void value(const element& v, T& out) {
    simdjson::dom::object object;
    if (v.get_object().get(object) != simdjson::SUCCESS) {
      ok_ = false;
      return;
    }
    TapeReader inner(object, table_of<T>());
    fields(inner, out);
    ok_ = ok_ && inner.ok_;
  }

  // A place is written and read only when its bit in present_ is set, so the
  // places are left uninitialised rather than cleared for every object.
  union Place {
    Place() {}
    element value;
  };
  std::array<Place, FieldTable::kMostFields> at_place_;
  std::uint64_t present_ = 0;
  std::size_t next_ = 0;
  bool ok_ = false;
};

bool read_event(simdjson::dom::object json, Event& event) {
  std::string type_name;
  DataMember data;
  TapeReader reader(json, top_level_table());
  top_level(reader, event, type_name, data);
  if (!reader.ok()) return false;
  simdjson::dom::object data_object;
  if (!make_blank_payload(type_name, event.payload) ||
      data.value.get_object().get(data_object) != simdjson::SUCCESS) {
    return false;
  }
  return std::visit(
      [&](auto& payload) {
        TapeReader data_reader(data_object, table_of<std::decay_t<decltype(payload)>>());
        fields(data_reader, payload);
        return data_reader.ok();
      },
      event.payload);
}

}  // namespace

namespace {

// The text's top-level object, read by this thread's parser: valid until the
// thread parses again. Per thread and reused, so that after the first text,
// parsing allocates nothing; simdjson reads up to SIMDJSON_PADDING bytes past
// the text's end, so the text is read from a padded copy.
bool parse_object(std::string_view text, simdjson::dom::object& object) {
  thread_local simdjson::dom::parser parser;
  thread_local std::vector<char> padded;
  padded.resize(text.size() + simdjson::SIMDJSON_PADDING);
  std::memcpy(padded.data(), text.data(), text.size());
  return parser.parse(padded.data(), text.size(), false).get_object().get(object) ==
         simdjson::SUCCESS;
}

}  // namespace

bool event_from_text(std::string_view text, Event& event) {
  simdjson::dom::object json;
  return parse_object(text, json) && read_event(json, event);
}

std::optional<Event> event_from_text(std::string_view text) {
  std::optional<Event> event(std::in_place);
  if (!event_from_text(text, *event)) event.reset();
  return event;
}

bool case_from_text(std::string_view text, CaseState& state) {
  simdjson::dom::object json;
  if (!parse_object(text, json)) return false;
  TapeReader reader(json, table_of<CaseState>());
  fields(reader, state);
  return reader.ok();
}

}  // namespace escalator

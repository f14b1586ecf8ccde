// Events to JSON and back (format: event_json.hpp).
//
// Each record's fields are listed once, in record_fields.hpp, and the Writer,
// the TextWriter and the Reader walk that one list: a field cannot be written
// and then forgotten on the way back, and the directions cannot disagree on a name.
#include "event_json.hpp"

#include "json_text.hpp"
#include <rapidjson/document.h>
#include "record_fields.hpp"

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace escalator {
namespace {

using Json = EventJson;

using namespace record_fields;

class Writer {
 public:
  explicit Writer(Json& object) : object_(object) {}

  void operator()(const char* key, const std::string& v) { object_[key] = v; }
  void operator()(const char* key, bool v) { object_[key] = v; }
  void operator()(const char* key, int v) { object_[key] = v; }
  void operator()(const char* key, std::uint64_t v) { object_[key] = v; }
  template <typename T>
  void operator()(const char* key, const std::vector<T>& v) {
    Json items = Json::array();
    for (const auto& item : v) {
      Json holder = Json::object();
      Writer item_writer(holder);
      item_writer("item", item);
      items.push_back(std::move(holder["item"]));
    }
    object_[key] = std::move(items);
  }
  void operator()(const char* key, Timestamp v) { object_[key] = format_time(v); }
  void operator()(const char* key, const Duration& v) { object_[key] = format_duration(v); }
  template <typename E>
    requires std::is_enum_v<E>
  void operator()(const char* key, E v) {
    object_[key] = std::string(to_string(v));
  }
  template <typename T>
  void operator()(const char* key, const std::optional<T>& v) {
    if (v) (*this)(key, *v);
  }
  template <Nested T>
  void operator()(const char* key, const T& v) {
    Json inner = Json::object();
    Writer writer(inner);
    fields(writer, v);
    object_[key] = std::move(inner);
  }

 private:
  Json& object_;
};

// The same fields as Writer, written straight as text (json_text.hpp): the
// bytes Writer's object would dump to, without building it.
class TextWriter {
 public:
  explicit TextWriter(JsonText& out) : out_(out) {}

  template <typename T>
  void operator()(const char* key, const T& v) {
    out_.key(key);
    value(v);
  }
  template <typename T>
  void operator()(const char* key, const std::optional<T>& v) {
    if (v) (*this)(key, *v);
  }

 private:
  void value(const std::string& v) { out_.value(std::string_view(v)); }
  void value(bool v) { out_.value(v); }
  void value(int v) { out_.value(v); }
  void value(std::uint64_t v) { out_.value(v); }
  void value(Timestamp v) { out_.value(format_time(v)); }
  void value(const Duration& v) { out_.value(format_duration(v)); }
  template <typename E>
    requires std::is_enum_v<E>
  void value(E v) {
    out_.value(to_string(v));
  }
  template <typename T>
  void value(const std::vector<T>& v) {
    out_.begin_array();
    for (const auto& item : v) value(item);
    out_.end_array();
  }
  template <Nested T>
  void value(const T& v) {
    out_.begin_object();
    fields(*this, v);
    out_.end_object();
  }

  JsonText& out_;
};

// The stored names of the two enums case.hpp has no parse_* for; the stored
// form is only ever the to_string() name, so that is all this accepts.
template <typename E>
Result<E> parse_by_name(std::string_view text, E first, E last, std::string_view what) {
  for (auto i = static_cast<int>(first); i <= static_cast<int>(last); ++i) {
    if (to_string(static_cast<E>(i)) == text) return static_cast<E>(i);
  }
  return fail(ErrorCode::kInvalidArgument,
              "Expected " + std::string(what) + ", found '" + std::string(text) + "'");
}

Result<RequestType> parse_enum(std::string_view s, RequestType*) { return parse_request_type(s); }
Result<Channel> parse_enum(std::string_view s, Channel*) { return parse_channel(s); }
Result<Outcome> parse_enum(std::string_view s, Outcome*) { return parse_outcome(s); }
Result<Rating> parse_enum(std::string_view s, Rating*) { return parse_rating(s); }
Result<LifecycleState> parse_enum(std::string_view s, LifecycleState*) { return parse_lifecycle_state(s); }
Result<Level> parse_enum(std::string_view s, Level*) {
  return parse_by_name(s, Level::kBuilding, Level::kDistrict, "a level");
}
Result<DeadlineKind> parse_enum(std::string_view s, DeadlineKind*) {
  return parse_deadline_kind(s);
}

// Reads the fields of one JSON object. The first problem found is kept in
// `error`, shared with the readers of nested objects; after it, reading stops.
class Reader {
 public:
  Reader(const Json& object, std::string path, std::optional<Error>& error)
      : object_(object), path_(std::move(path)), error_(error) {}

  void operator()(const char* key, std::string& out) {
    if (const Json* v = find<&Json::is_string>(key, "a string")) out = v->get<std::string>();
  }
  void operator()(const char* key, bool& out) {
    if (const Json* v = find<&Json::is_boolean>(key, "a boolean")) out = v->get<bool>();
  }
  template <std::integral I>
    requires(!std::same_as<I, bool>)
  void operator()(const char* key, I& out) {
    const Json* v = find<&Json::is_number_integer>(key, "an integer");
    if (v == nullptr) return;
    const bool fits = v->is_number_unsigned() ? std::in_range<I>(v->get<std::uint64_t>())
                                              : std::in_range<I>(v->get<std::int64_t>());
    if (!fits) return broken("field '" + path_ + key + "' is out of range: " + v->dump());
    out = v->is_number_unsigned() ? static_cast<I>(v->get<std::uint64_t>())
                                  : static_cast<I>(v->get<std::int64_t>());
  }
  // Each item is read as if it were the field "key[i]" of a one-field object,
  // so items of any kind read (and fail) as fields do.
  template <typename T>
  void operator()(const char* key, std::vector<T>& out) {
    const Json* v = find<&Json::is_array>(key, "an array");
    if (v == nullptr) return;
    out.clear();
    for (std::size_t i = 0; i < v->size() && !error_; ++i) {
      const std::string name = std::string(key) + "[" + std::to_string(i) + "]";
      const Json holder = Json::object({{name, (*v)[i]}});
      T item{};
      Reader(holder, path_, error_)(name.c_str(), item);
      if (!error_) out.push_back(std::move(item));
    }
  }
  void operator()(const char* key, Timestamp& out) { parsed(key, out, parse_time); }
  void operator()(const char* key, Duration& out) { parsed(key, out, parse_duration); }
  template <typename E>
    requires std::is_enum_v<E>
  void operator()(const char* key, E& out) {
    parsed(key, out, [](std::string_view s) { return parse_enum(s, static_cast<E*>(nullptr)); });
  }
  // Absent means empty: the writer leaves out what is not there.
  template <typename T>
  void operator()(const char* key, std::optional<T>& out) {
    out.reset();
    if (!object_.contains(key)) return;
    T value{};
    (*this)(key, value);
    if (!error_) out = std::move(value);
  }
  template <Nested T>
  void operator()(const char* key, T& out) {
    if (const Json* v = find<&Json::is_object>(key, "an object")) {
      Reader reader(*v, path_ + key + ".", error_);
      fields(reader, out);
    }
  }

  // The object under `key`, or null (with the error recorded) when there is none.
  const Json* object(const char* key) { return find<&Json::is_object>(key, "an object"); }

 private:
  // The value under `key` when it is of the kind `IsKind` tests for.
  template <auto IsKind>
  const Json* find(const char* key, const char* kind) {
    if (error_) return nullptr;
    auto it = object_.find(key);
    if (it == object_.end()) {
      broken("missing field '" + path_ + key + "'");
      return nullptr;
    }
    if (!((*it).*IsKind)()) {
      broken("field '" + path_ + key + "' should be " + kind + ", found " + it->type_name());
      return nullptr;
    }
    return &*it;
  }
  // A string field whose text `parse` turns into the value.
  template <typename T, typename Parse>
  void parsed(const char* key, T& out, Parse parse) {
    const Json* v = find<&Json::is_string>(key, "a string");
    if (v == nullptr) return;
    auto value = parse(v->get_ref<const std::string&>());
    if (!value) return broken("field '" + path_ + key + "': " + value.error().message);
    out = *value;
  }
  void broken(std::string message) {
    if (!error_) error_ = Error{ErrorCode::kDataLoss, std::move(message)};
  }

  const Json& object_;
  std::string path_;
  std::optional<Error>& error_;
};

// Reads what Reader reads, from a RapidJSON value parsed in place into a
// reused pool: no object per member, as nlohmann builds. It says only whether
// everything read; on any problem the caller reads the text again with Reader,
// which names the problem. So it must refuse whatever Reader refuses.
class FastReader {
 public:
  explicit FastReader(const rapidjson::Value& object) : object_(object) {}
  bool ok() const { return ok_; }

  template <typename T>
  void operator()(const char* key, T& out) {
    if (const auto* v = find(key)) {
      value(*v, out);
    } else {
      ok_ = false;
    }
  }
  template <typename T>
  void operator()(const char* key, std::optional<T>& out) {
    out.reset();
    const auto* v = find(key);
    if (v == nullptr) return;
    T item{};
    value(*v, item);
    if (ok_) out = std::move(item);
  }

 private:
  // Members are searched from the one after the last found: the fields are
  // read in about the order canonical text sorts them, so most are found at
  // the first try rather than after a scan from the start.
  const rapidjson::Value* find(const char* key) {
    if (!ok_) return nullptr;
    const std::string_view wanted(key);
    const auto count = object_.MemberCount();
    for (rapidjson::SizeType tried = 0; tried < count; ++tried) {
      const auto at = (next_ + tried) % count;
      const auto& member = object_.MemberBegin()[at];
      if (text(member.name) == wanted) {
        next_ = at + 1;
        return &member.value;
      }
    }
    return nullptr;
  }
  static std::string_view text(const rapidjson::Value& v) { return {v.GetString(), v.GetStringLength()}; }

  void value(const rapidjson::Value& v, std::string& out) {
    if (v.IsString()) {
      out.assign(v.GetString(), v.GetStringLength());
    } else {
      ok_ = false;
    }
  }
  void value(const rapidjson::Value& v, bool& out) {
    if (v.IsBool()) {
      out = v.GetBool();
    } else {
      ok_ = false;
    }
  }
  template <std::integral I>
    requires(!std::same_as<I, bool>)
  void value(const rapidjson::Value& v, I& out) {
    if (v.IsUint64() && std::in_range<I>(v.GetUint64())) {
      out = static_cast<I>(v.GetUint64());
    } else if (v.IsInt64() && std::in_range<I>(v.GetInt64())) {
      out = static_cast<I>(v.GetInt64());
    } else {
      ok_ = false;
    }
  }
  template <typename T>
  void value(const rapidjson::Value& v, std::vector<T>& out) {
    if (!v.IsArray()) {
      ok_ = false;
      return;
    }
    out.clear();
    out.reserve(v.Size());
    for (const auto& item : v.GetArray()) {
      T read{};
      value(item, read);
      if (!ok_) return;
      out.push_back(std::move(read));
    }
  }
  template <typename T, typename Parse>
  void parsed(const rapidjson::Value& v, T& out, Parse parse) {
    if (!v.IsString()) {
      ok_ = false;
      return;
    }
    auto read = parse(text(v));
    if (read) {
      out = *read;
    } else {
      ok_ = false;
    }
  }
  void value(const rapidjson::Value& v, Timestamp& out) { parsed(v, out, parse_time); }
  void value(const rapidjson::Value& v, Duration& out) { parsed(v, out, parse_duration); }
  template <typename E>
    requires std::is_enum_v<E>
  void value(const rapidjson::Value& v, E& out) {
    parsed(v, out, [](std::string_view s) { return parse_enum(s, static_cast<E*>(nullptr)); });
  }
  template <Nested T>
  void value(const rapidjson::Value& v, T& out) {
    if (!v.IsObject()) {
      ok_ = false;
      return;
    }
    FastReader inner(v);
    fields(inner, out);
    ok_ = ok_ && inner.ok_;
  }

  const rapidjson::Value& object_;
  rapidjson::SizeType next_ = 0;
  bool ok_ = true;
};

// Type names resolve through event_type_name(), so names.cpp stays their one
// source. Scanning every possible id once costs well under a millisecond and
// does not assume the ids are dense.
const std::map<std::string, EventType, std::less<>>& types_by_name() {
  static const auto types = [] {
    std::map<std::string, EventType, std::less<>> map;
    for (std::uint32_t id = 1; id <= std::numeric_limits<std::uint16_t>::max(); ++id) {
      const auto type = static_cast<EventType>(id);
      if (const std::string_view name = event_type_name(type); name != "Unknown") {
        map.emplace(name, type);
      }
    }
    return map;
  }();
  return types;
}

// A default payload of the alternative whose kType is `type`; none for
// reserved types, which have no alternative yet.
template <std::size_t... I>
std::optional<EventPayload> blank_payload(EventType type, std::index_sequence<I...>) {
  std::optional<EventPayload> payload;
  (void)((std::variant_alternative_t<I, EventPayload>::kType == type &&
          (payload.emplace(std::in_place_index<I>), true)) ||
         ...);
  return payload;
}

Result<EventPayload> blank_payload(std::string_view type_name) {
  const auto& types = types_by_name();
  const auto it = types.find(type_name);
  if (it == types.end()) {
    return fail(ErrorCode::kDataLoss, "event type '" + std::string(type_name) + "' is unknown");
  }
  auto payload =
      blank_payload(it->second, std::make_index_sequence<std::variant_size_v<EventPayload>>{});
  if (!payload) {
    return fail(ErrorCode::kDataLoss,
                "event type " + std::to_string(static_cast<int>(it->second)) + " (" + it->first +
                    ") has no reader in this version");
  }
  return std::move(*payload);
}

// The envelope's fields, the same for either reader.
template <class Read>
void read_envelope(Read& reader, Event& event, std::string& type_name) {
  reader("seq", event.seq);
  reader("time", event.time);
  reader("type", type_name);
  reader("actor", event.actor);
  reader("key", event.idempotency_key);
  reader("workflow", event.workflow);
  // Absent unless true; the chain's fields are absent before the chain (store
  // formats 1 and 2) and in the hashed body.
  std::optional<bool> provisional;
  std::optional<std::string> prev_hash, hash;
  std::optional<std::uint64_t> position;
  reader("provisional", provisional);
  reader("prev_hash", prev_hash);
  reader("hash", hash);
  reader("position", position);
  event.provisional = provisional.value_or(false);
  event.prev_hash = prev_hash.value_or("");
  event.hash = hash.value_or("");
  event.position = position.value_or(0);
}

// event_from_json's reading through FastReader: none where that would fail.
std::optional<Event> event_from_value(const rapidjson::Value& json) {
  FastReader reader(json);
  Event event;
  std::string type_name;
  read_envelope(reader, event, type_name);
  if (!reader.ok()) return std::nullopt;
  auto payload = blank_payload(type_name);
  const auto data = json.FindMember("data");
  if (!payload || data == json.MemberEnd() || !data->value.IsObject()) return std::nullopt;
  FastReader data_reader(data->value);
  std::visit([&](auto& p) { fields(data_reader, p); }, *payload);
  if (!data_reader.ok()) return std::nullopt;
  event.payload = std::move(*payload);
  return event;
}

}  // namespace

EventJson payload_to_json(const EventPayload& payload) {
  Json data = Json::object();
  Writer writer(data);
  std::visit([&](const auto& p) { fields(writer, p); }, payload);
  return data;
}

EventJson event_body_json(const Event& event) {
  Json json = Json::object();
  Writer writer(json);
  envelope(writer, event);
  json["data"] = payload_to_json(event.payload);
  return json;
}

EventJson event_to_json(const Event& event) {
  Json json = event_body_json(event);
  if (event.position != 0) json["position"] = event.position;
  if (!event.hash.empty()) {
    json["prev_hash"] = event.prev_hash;
    json["hash"] = event.hash;
  }
  return json;
}

Result<Event> event_from_json(const EventJson& json) {
  if (!json.is_object()) {
    return fail(ErrorCode::kDataLoss,
                std::string("an event should be a JSON object, found ") + json.type_name());
  }
  std::optional<Error> error;
  Reader reader(json, "", error);
  Event event;
  std::string type_name;
  read_envelope(reader, event, type_name);
  if (error) return tl::unexpected(std::move(*error));

  auto payload = blank_payload(type_name);
  if (!payload) return tl::unexpected(std::move(payload.error()));
  const Json* data = reader.object("data");
  if (data == nullptr) return tl::unexpected(std::move(*error));
  Reader data_reader(*data, "data.", error);
  std::visit([&](auto& p) { fields(data_reader, p); }, *payload);
  if (error) return tl::unexpected(std::move(*error));
  event.payload = std::move(*payload);
  return event;
}

std::optional<Event> event_from_text(std::string_view text) {
  // The text is checked as UTF-8 once, whole, so the parser can copy strings
  // sixteen bytes at a time rather than validate them byte by byte; and it is
  // parsed in place in a copy that ends in NUL, so a NUL in the text would end
  // it early: such a text goes to the full reader, which refuses it.
  if (!is_utf8(text) || text.find('\0') != std::string_view::npos) return std::nullopt;
  // Per thread, reused: after the first event, parsing allocates nothing.
  thread_local std::string copy;
  thread_local std::array<char, 32 * 1024> values_buffer;
  thread_local std::array<char, 4 * 1024> stack_buffer;
  thread_local rapidjson::MemoryPoolAllocator<> values(values_buffer.data(), values_buffer.size());
  thread_local rapidjson::MemoryPoolAllocator<> stack(stack_buffer.data(), stack_buffer.size());
  copy.assign(text);
  std::optional<Event> read;
  {
    using Document =
        rapidjson::GenericDocument<rapidjson::UTF8<>, rapidjson::MemoryPoolAllocator<>, rapidjson::MemoryPoolAllocator<>>;
    Document document(&values, 1024, &stack);
    document.ParseInsitu(copy.data());
    if (!document.HasParseError() && document.IsObject()) read = event_from_value(document);
  }
  values.Clear();
  stack.Clear();
  return read;
}

EventJson case_to_json(const CaseState& state) {
  Json json = Json::object();
  Writer writer(json);
  fields(writer, state);
  return json;
}

Result<CaseState> case_from_json(const EventJson& json) {
  if (!json.is_object()) {
    return fail(ErrorCode::kDataLoss,
                std::string("a case snapshot should be a JSON object, found ") + json.type_name());
  }
  std::optional<Error> error;
  Reader reader(json, "", error);
  CaseState state;
  fields(reader, state);
  if (error) return tl::unexpected(std::move(*error));
  return state;
}

// Invalid UTF-8 would make dump() throw across the public API. Commands with
// invalid UTF-8 are refused where they enter (command_check.cpp), so a stray byte
// here came from elsewhere, and replacing it (nlohmann's way, which the text
// writer leaves to nlohmann) is the lesser harm.
namespace {
std::string dumped(const Json& json) { return json.dump(-1, ' ', false, Json::error_handler_t::replace); }
}  // namespace

std::string to_json(const Event& event) {
  std::string out;
  out.reserve(512);
  JsonText text(out);
  TextWriter writer(text);
  text.begin_object();
  envelope(writer, event);
  text.key("data");
  text.begin_object();
  std::visit([&](const auto& p) { fields(writer, p); }, event.payload);
  text.end_object();
  if (event.position != 0) writer("position", event.position);
  if (!event.hash.empty()) {
    writer("prev_hash", event.prev_hash);
    writer("hash", event.hash);
  }
  text.end_object();
  return text.utf8() ? out : dumped(event_to_json(event));
}

std::string payload_json(const EventPayload& payload) {
  std::string out;
  JsonText text(out);
  TextWriter writer(text);
  text.begin_object();
  std::visit([&](const auto& p) { fields(writer, p); }, payload);
  text.end_object();
  return text.utf8() ? out : dumped(payload_to_json(payload));
}

std::string case_json_text(const CaseState& state) {
  std::string out;
  out.reserve(2048);
  JsonText text(out);
  TextWriter writer(text);
  text.begin_object();
  fields(writer, state);
  text.end_object();
  return text.utf8() ? out : dumped(case_to_json(state));
}

}  // namespace escalator

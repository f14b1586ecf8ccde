// Events to JSON and back (format: event_json.hpp).
//
// Each record's fields are listed once, in record_fields.hpp, and the Writer,
// the TextWriter and the Reader walk that one list: a field cannot be written
// and then forgotten on the way back, and the directions cannot disagree on a name.
#include "event_json.hpp"

#include "event_reading.hpp"
#include "json_text.hpp"
#include "record_fields.hpp"

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
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
using namespace event_reading;

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

}  // namespace

namespace event_reading {
namespace {

// Every event type by name, in an open-addressed table whose hash reads three
// bytes and the length: the type of every stored event is looked up. Names
// resolve through event_type_name(), so names.cpp stays their one source;
// scanning every possible id once costs well under a millisecond and does not
// assume the ids are dense.
class TypesByName {
 public:
  TypesByName() {
    for (std::uint32_t id = 1; id <= std::numeric_limits<std::uint16_t>::max(); ++id) {
      const auto type = static_cast<EventType>(id);
      const std::string_view name = event_type_name(type);
      if (name == "Unknown") continue;
      auto at = slot(name);
      while (!slots_[at].first.empty()) at = (at + 1) % kSlots;
      slots_[at] = {name, type};
    }
  }
  std::optional<EventType> find(std::string_view name) const {
    if (name.empty()) return std::nullopt;
    for (auto at = slot(name); !slots_[at].first.empty(); at = (at + 1) % kSlots) {
      if (slots_[at].first == name) return slots_[at].second;
    }
    return std::nullopt;
  }

 private:
  static constexpr std::size_t kSlots = 256;  // a power of two, several times the types there are
  static std::size_t slot(std::string_view name) {
    const auto byte = [&](std::size_t i) { return static_cast<std::size_t>(static_cast<unsigned char>(name[i])); };
    return (name.size() * 131 + byte(0) * 31 + byte(name.size() / 2) * 7 + byte(name.size() - 1)) % kSlots;
  }
  // event_type_name() returns literals, so the views stay valid.
  std::array<std::pair<std::string_view, EventType>, kSlots> slots_{};
};

// Makes `payload` the default of the alternative whose kType is `type`; false
// for reserved types, which have no alternative yet.
template <std::size_t... I>
bool make_blank(EventType type, EventPayload& payload, std::index_sequence<I...>) {
  return ((std::variant_alternative_t<I, EventPayload>::kType == type &&
           (payload.emplace<I>(), true)) ||
          ...);
}

const TypesByName& types() {
  static const TypesByName types;
  return types;
}

}  // namespace

bool make_blank_payload(std::string_view type_name, EventPayload& payload) {
  const auto type = types().find(type_name);
  return type && make_blank(*type, payload, std::make_index_sequence<std::variant_size_v<EventPayload>>{});
}

Result<EventPayload> blank_payload(std::string_view type_name) {
  const auto type = types().find(type_name);
  if (!type) return fail(ErrorCode::kDataLoss, "event type '" + std::string(type_name) + "' is unknown");
  EventPayload payload;
  if (!make_blank(*type, payload, std::make_index_sequence<std::variant_size_v<EventPayload>>{})) {
    return fail(ErrorCode::kDataLoss, "event type " + std::to_string(static_cast<int>(*type)) + " (" +
                                          std::string(type_name) + ") has no reader in this version");
  }
  return payload;
}

}  // namespace event_reading

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

Result<CaseState> read_case_text(std::string_view text) {
  CaseState state;
  if (case_from_text(text, state)) return state;
  const auto json = EventJson::parse(text, nullptr, false);
  if (json.is_discarded()) return fail(ErrorCode::kDataLoss, "not JSON");
  return case_from_json(json);
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

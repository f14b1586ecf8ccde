#include "schema_check.hpp"

#include "json_lines.hpp"

#include <algorithm>
#include <optional>
#include <set>
#include <tuple>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

namespace escalator {
namespace {

using Json = nlohmann::json;
// The schema is also kept in written order, so that lists of expected keys
// read as the schema (and the docs) list them.
using OrderedJson = nlohmann::ordered_json;
using Segments = std::vector<std::string>;


using Json = nlohmann::json;
// The schema is also kept in written order, so that lists of expected keys
// read as the schema (and docs/configuration.md) lists them.
using OrderedJson = nlohmann::ordered_json;
using Segments = std::vector<std::string>;

// valijson's context reads "<root>", "[limits]", "[shards]".
Segments segments_of(const std::vector<std::string>& context) {
  Segments out;
  for (const std::string& part : context) {
    if (part.size() >= 2 && part.front() == '[' && part.back() == ']') {
      out.push_back(part.substr(1, part.size() - 2));
    }
  }
  return out;
}

std::string pointer_of(const Segments& segments) {
  std::string out;
  for (const std::string& s : segments) out += '/' + pointer_token(s);
  return out;
}

// The subschema describing the value at `segments`, or nullptr.
bool is_index(const std::string& key) {
  return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The schema a local reference ("#/definitions/id") names; `s` itself when it is none.
const OrderedJson* dereferenced(const OrderedJson& root, const OrderedJson* s) {
  if (s == nullptr || !s->contains("$ref") || !(*s)["$ref"].is_string()) return s;
  const std::string ref = (*s)["$ref"].get<std::string>();
  if (!ref.starts_with("#/")) return s;
  const OrderedJson::json_pointer pointer(ref.substr(1));
  return root.contains(pointer) ? &root[pointer] : s;
}

const OrderedJson* schema_at(const OrderedJson& root, const Segments& segments) {
  const OrderedJson* s = &root;
  for (const std::string& key : segments) {
    s = dereferenced(root, s);
    if (is_index(key) && s->contains("items") && (*s)["items"].is_object()) {
      s = &(*s)["items"];
    } else if (s->contains("properties") && (*s)["properties"].contains(key)) {
      s = &(*s)["properties"][key];
    } else if (s->contains("additionalProperties") && (*s)["additionalProperties"].is_object()) {
      s = &(*s)["additionalProperties"];
    } else {
      return nullptr;
    }
  }
  return dereferenced(root, s);
}

const Json* value_at(const Json& root, const Segments& segments) {
  const Json* v = &root;
  for (const std::string& key : segments) {
    if (v->is_array() && is_index(key) && std::stoul(key) < v->size()) {
      v = &(*v)[std::stoul(key)];
      continue;
    }
    if (!v->is_object() || !v->contains(key)) return nullptr;
    v = &(*v)[key];
  }
  return v;
}

// "a, b, c or d".
std::string listing(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " or " : ", ";
    out += items[i];
  }
  return out;
}

// The value as the user wrote it, short enough for one line.
std::string describe(const Json& value) {
  if (value.is_object()) return "an object";
  if (value.is_array()) return "an array";
  if (value.is_string()) {
    std::string s = value.get<std::string>();
    constexpr std::size_t kMax = 40;
    if (s.size() > kMax) {
      std::size_t cut = kMax;
      // Cut on a UTF-8 character boundary.
      while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
      s = s.substr(0, cut) + "...";
    }
    return Json(s).dump(-1, ' ', false, Json::error_handler_t::replace);
  }
  return value.dump();
}

bool has_type(const Json& value, const std::string& type) {
  if (type == "object") return value.is_object();
  if (type == "array") return value.is_array();
  if (type == "string") return value.is_string();
  if (type == "integer") return value.is_number_integer();
  if (type == "number") return value.is_number();
  if (type == "boolean") return value.is_boolean();
  if (type == "null") return value.is_null();
  return true;
}

std::string with_article(const std::string& type) {
  return (type == "object" || type == "array" || type == "integer" ? "an " : "a ") + type;
}

std::size_t code_points(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// Why `value` breaks `schema`, in plain words; empty when none of the keywords
// the configuration schema uses explains it.
std::string reason(const OrderedJson& schema, const Json& value) {
  // A choice of shapes (oneOf) says in its own words what it takes.
  if (schema.contains("oneOf") && schema.contains("x-expected")) {
    return "must be " + schema["x-expected"].get<std::string>() + ", but is " + describe(value);
  }
  if (schema.contains("type") && schema["type"].is_string()) {
    const std::string type = schema["type"].get<std::string>();
    if (!has_type(value, type)) {
      return "must be " + with_article(type) + ", but is " + describe(value);
    }
  }
  if (schema.contains("enum") && schema["enum"].is_array()) {
    std::vector<std::string> allowed;
    bool found = false;
    for (const auto& option : schema["enum"]) {
      allowed.push_back(option.is_string() ? option.get<std::string>() : option.dump());
      found = found || option.dump() == value.dump();
    }
    if (!found) return "must be one of " + listing(allowed) + ", but is " + describe(value);
  }
  if (value.is_number()) {
    const double v = value.get<double>();
    if (schema.contains("minimum") && v < schema["minimum"].get<double>()) {
      return "must be at least " + schema["minimum"].dump() + ", but is " + value.dump();
    }
    if (schema.contains("maximum") && v > schema["maximum"].get<double>()) {
      return "must be at most " + schema["maximum"].dump() + ", but is " + value.dump();
    }
  }
  if (value.is_string() && schema.contains("minLength")) {
    const std::size_t min = schema["minLength"].get<std::size_t>();
    const std::size_t length = code_points(value.get<std::string>());
    if (length < min) {
      if (min == 1) return "must not be empty";
      return "must be at least " + std::to_string(min) + " characters long, but is " +
             std::to_string(length);
    }
  }
  if (value.is_string() && schema.contains("pattern")) {
    // The schema's own words say what the pattern means, when it has them.
    const std::string what = schema.contains("x-expected") ? schema["x-expected"].get<std::string>()
                                                           : "text matching " + schema["pattern"].get<std::string>();
    return "must be " + what + ", but is " + describe(value);
  }
  if (value.is_array() && schema.contains("minItems") && value.size() < schema["minItems"].get<std::size_t>()) {
    return "must have at least " + schema["minItems"].dump() + " item" +
           (schema["minItems"].get<int>() == 1 ? "" : "s") + ", but has " + std::to_string(value.size());
  }
  return {};
}

struct Problem {
  std::string pointer;
  std::string reason;
  friend bool operator<(const Problem& a, const Problem& b) {
    return std::tie(a.pointer, a.reason) < std::tie(b.pointer, b.reason);
  }
};

// Turns valijson's results into one problem per bad key. valijson also reports
// every enclosing object of a bad value ("Failed to validate against schema
// associated with property name ..."); those add nothing and are dropped.
std::set<Problem> problems_of(const valijson::ValidationResults& results, const Json& doc,
                              const OrderedJson& schema) {
  std::set<Problem> problems;
  for (const auto& error : results) {
    const std::string& what = error.description;
    if (what.rfind("Failed to validate against schema associated with property", 0) == 0 ||
        what.rfind("Failed to validate against additional properties schema", 0) == 0 ||
        what.rfind("Failed to validate item #", 0) == 0 ||
        what.rfind("Failed to validate against child schema #", 0) == 0) {
      continue;
    }
    const Segments at = segments_of(error.context);
    if (what.rfind("Missing required property '", 0) == 0) {
      Segments path = at;
      path.push_back(what.substr(27, what.find('\'', 27) - 27));
      problems.insert({pointer_of(path), "required, but missing"});
      continue;
    }
    const OrderedJson* sub = schema_at(schema, at);
    const Json* value = value_at(doc, at);
    if (what.rfind("Object contains a property that could not be validated", 0) == 0 && sub &&
        value && value->is_object() && sub->contains("properties")) {
      // valijson names only the first unknown key; list them all.
      std::vector<std::string> expected;
      for (const auto& [key, unused] : (*sub)["properties"].items()) expected.push_back(key);
      for (const auto& [key, unused] : value->items()) {
        if (!(*sub)["properties"].contains(key)) {
          Segments path = at;
          path.push_back(key);
          problems.insert({pointer_of(path), "unknown key (expected " + listing(expected) + ")"});
        }
      }
      continue;
    }
    std::string why = sub && value ? reason(*sub, *value) : std::string();
    problems.insert({pointer_of(at), why.empty() ? what : why});
  }
  return problems;
}

}  // namespace

struct JsonSchema::Parsed {
  Json doc;
  OrderedJson ordered;
  valijson::Schema schema;
};

JsonSchema::JsonSchema(std::string_view schema_text) : parsed_(std::make_unique<Parsed>()) {
  try {
    parsed_->doc = Json::parse(schema_text);
    parsed_->ordered = OrderedJson::parse(schema_text);
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter adapter(parsed_->doc);
    parser.populateSchema(adapter, parsed_->schema);
  } catch (const std::exception& e) {
    error_ = e.what();
  }
}

JsonSchema::~JsonSchema() = default;

std::vector<SchemaProblem> JsonSchema::check(const Json& doc) const {
  std::vector<SchemaProblem> found;
  if (!error_.empty()) return {{"", "the schema itself is broken: " + error_}};
  try {
    valijson::Validator validator;
    valijson::ValidationResults results;
    valijson::adapters::NlohmannJsonAdapter target(doc);
    if (validator.validate(parsed_->schema, target, &results)) return found;
    for (const Problem& p : problems_of(results, doc, parsed_->ordered)) found.push_back({p.pointer, p.reason});
    if (found.empty()) found.push_back({"", "does not match the schema"});
  } catch (const std::exception& e) {
    found.push_back({"", std::string("could not be checked: ") + e.what()});
  }
  return found;
}

namespace {

// "line 3, column 27" of the byte at `offset`.
std::string line_and_column(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  const auto before = text.substr(0, offset);
  const auto line = 1 + std::count(before.begin(), before.end(), '\n');
  const auto line_start = before.rfind('\n');
  const auto column = offset - (line_start == std::string_view::npos ? 0 : line_start + 1) + 1;
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// Where parsing is in the document, for a callback that sees keys and values
// but not their places: each open object's keys so far, each open array's
// count, and the pointer to the value being read.
class DocumentWalk {
 public:
  // Whether the event is allowed; on the first duplicate key, remembers it.
  bool on(Json::parse_event_t event, const Json& parsed) {
    using E = Json::parse_event_t;
    if (event == E::object_start || event == E::array_start) {
      count_element();
      frames_.push_back({event == E::array_start, {}, {}, -1});
    } else if (event == E::object_end || event == E::array_end) {
      if (!frames_.empty()) frames_.pop_back();
    } else if (event == E::key) {
      Frame& object = frames_.back();
      object.key = parsed.get<std::string>();
      if (!object.keys.insert(object.key).second && !duplicate_) duplicate_ = pointer();
    } else if (event == E::value) {
      count_element();
    }
    return true;
  }
  // The pointer to the first key met twice in one object; none when none was.
  const std::optional<std::string>& duplicate() const { return duplicate_; }

 private:
  struct Frame {
    bool array = false;
    std::set<std::string> keys;
    std::string key;
    int index = -1;
  };
  void count_element() {
    if (!frames_.empty() && frames_.back().array) ++frames_.back().index;
  }
  std::string pointer() const {
    std::string p;
    for (const Frame& f : frames_) p += "/" + (f.array ? std::to_string(f.index) : pointer_token(f.key));
    return p;
  }
  std::vector<Frame> frames_;
  std::optional<std::string> duplicate_;
};

}  // namespace

Result<Json> parse_json_text(std::string_view text) {
  try {
    DocumentWalk walk;
    Json doc = Json::parse(text, [&walk](int, Json::parse_event_t event, Json& parsed) { return walk.on(event, parsed); });
    // "Last one wins" would keep one of two values silently: which one the
    // writer meant is not for the reader to guess.
    if (const auto& twice = walk.duplicate()) {
      const auto lines = json_pointer_lines(text);
      const auto line = lines.find(*twice);
      return fail(ErrorCode::kInvalidArgument,
                  "invalid JSON: line " + std::to_string(line == lines.end() ? 1 : line->second) + ": " + *twice +
                      ": the key is given twice in one object (first on this line); give it once");
    }
    return doc;
  } catch (const Json::out_of_range& e) {
    // A number beyond what a double holds (1e999): e.what() names the token.
    std::string detail = e.what();
    std::string token;
    if (const auto q = detail.find('\''); q != std::string::npos) token = detail.substr(q + 1, detail.rfind('\'') - q - 1);
    const auto at = token.empty() ? std::string_view::npos : text.find(token);
    return fail(ErrorCode::kInvalidArgument,
                "invalid JSON at byte " + std::to_string(at == std::string_view::npos ? 0 : at) + ": " +
                    line_and_column(text, at == std::string_view::npos ? 0 : at) + ": the number " + token +
                    " is beyond the range of a double");
  } catch (const Json::parse_error& e) {
    // e.what() reads "[json.exception.parse_error.101] parse error at line 1,
    // column 5: syntax error ..."; the byte offset is said first.
    std::string detail = e.what();
    const std::string prefix = "parse error at ";
    if (const auto p = detail.find(prefix); p != std::string::npos) detail = detail.substr(p + prefix.size());
    return fail(ErrorCode::kInvalidArgument, "invalid JSON at byte " + std::to_string(e.byte) + ": " + detail);
  }
}

std::string pointer_token(std::string_view key) {
  std::string token;
  for (char c : key) {
    if (c == '~') {
      token += "~0";
    } else if (c == '/') {
      token += "~1";
    } else {
      token += c;
    }
  }
  return token;
}

}  // namespace escalator

// Reading the configuration file. valijson decides which values break the
// schema; the reasons are then worded here from the schema and the value, so
// that every message names the key as a JSON pointer and says in plain words
// what was expected and what was found. Nothing thrown by nlohmann::json or
// valijson leaves this file.
#include <algorithm>
#include <cerrno>
#include <exception>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <tuple>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "escalator/config.hpp"

namespace escalator {
namespace {

using Json = nlohmann::json;
// The schema is also kept in written order, so that lists of expected keys
// read as the schema (and docs/configuration.md) lists them.
using OrderedJson = nlohmann::ordered_json;
using Segments = std::vector<std::string>;

// Parsed once; valijson's Schema is read-only after parsing, so concurrent
// validations may share it.
struct CompiledSchema {
  Json doc;
  OrderedJson ordered;
  valijson::Schema schema;
  std::string error;  // non-empty only if the compiled-in schema is broken: a build bug

  CompiledSchema() {
    try {
      doc = Json::parse(config_schema());
      ordered = OrderedJson::parse(config_schema());
      valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
      valijson::adapters::NlohmannJsonAdapter adapter(doc);
      parser.populateSchema(adapter, schema);
    } catch (const std::exception& e) {
      error = e.what();
    }
  }
};

const CompiledSchema& compiled_schema() {
  static const CompiledSchema compiled;
  return compiled;
}

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

// RFC 6901: '~' and '/' inside a key are escaped.
std::string pointer_of(const Segments& segments) {
  std::string out;
  for (const std::string& s : segments) {
    out += '/';
    for (char c : s) {
      if (c == '~') {
        out += "~0";
      } else if (c == '/') {
        out += "~1";
      } else {
        out += c;
      }
    }
  }
  return out;
}

// The subschema describing the value at `segments`, or nullptr.
const OrderedJson* schema_at(const OrderedJson& root, const Segments& segments) {
  const OrderedJson* s = &root;
  for (const std::string& key : segments) {
    if (s->contains("properties") && (*s)["properties"].contains(key)) {
      s = &(*s)["properties"][key];
    } else if (s->contains("additionalProperties") && (*s)["additionalProperties"].is_object()) {
      s = &(*s)["additionalProperties"];
    } else {
      return nullptr;
    }
  }
  return s;
}

const Json* value_at(const Json& root, const Segments& segments) {
  const Json* v = &root;
  for (const std::string& key : segments) {
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
        what.rfind("Failed to validate against additional properties schema", 0) == 0) {
      continue;
    }
    const Segments at = segments_of(error.context);
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

Result<Config> to_config(const Json& doc) {
  Config config;
  if (doc.contains("data_dir")) config.data_dir = doc["data_dir"].get<std::string>();
  if (doc.contains("log_level")) {
    const auto level = parse_log_level(doc["log_level"].get<std::string>());
    if (!level) return fail(ErrorCode::kInvalidArgument, "/log_level: " + level.error().message);
    config.log_level = *level;
  }
  if (doc.contains("limits")) {
    const Json& limits = doc["limits"];
    const auto read = [&](const char* key, int& into) {
      if (limits.contains(key)) into = limits[key].get<int>();
    };
    read("worker_threads", config.limits.worker_threads);
    read("shards", config.limits.shards);
    read("max_text_bytes", config.limits.max_text_bytes);
    read("max_co_handlers", config.limits.max_co_handlers);
  }
  if (doc.contains("secret_files")) {
    for (const auto& [name, path] : doc["secret_files"].items()) {
      config.secret_files[name] = path.get<std::string>();
    }
  }
  return config;
}

Result<Config> parse_and_validate(std::string_view json_text) {
  const CompiledSchema& compiled = compiled_schema();
  if (!compiled.error.empty()) {
    return fail(ErrorCode::kInternal,
                "config: the compiled-in schema is broken: " + compiled.error);
  }
  Json doc;
  try {
    doc = Json::parse(json_text);
  } catch (const Json::parse_error& e) {
    // e.what() reads "[json.exception.parse_error.101] parse error at line 1,
    // column 5: syntax error ..."; the byte offset is already said.
    std::string detail = e.what();
    const std::string prefix = "parse error at ";
    if (const auto p = detail.find(prefix); p != std::string::npos) {
      detail = detail.substr(p + prefix.size());
    }
    return fail(ErrorCode::kInvalidArgument,
                "config: invalid JSON at byte " + std::to_string(e.byte) + ": " + detail);
  }

  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target(doc);
  if (!validator.validate(compiled.schema, target, &results)) {
    std::string message;
    for (const Problem& p : problems_of(results, doc, compiled.ordered)) {
      if (!message.empty()) message += '\n';
      message += (p.pointer.empty() ? std::string("config") : p.pointer) + ": " + p.reason;
    }
    if (message.empty()) message = "config: does not match the schema";
    return fail(ErrorCode::kInvalidArgument, std::move(message));
  }
  return to_config(doc);
}

Result<std::string> read_file(const std::filesystem::path& file) {
  const auto cannot = [&](const std::string& why) -> Result<std::string> {
    return fail(ErrorCode::kNotFound,
                "Cannot read configuration file " + file.string() + ": " + why);
  };
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) return cannot("it is a directory");
  errno = 0;
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    const int err = errno;
    return cannot(err != 0 ? std::generic_category().message(err) : "it cannot be opened");
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return cannot("reading failed");
  return text.str();
}

}  // namespace

Result<Config> parse_config(std::string_view json_text) {
  try {
    return parse_and_validate(json_text);
  } catch (const std::exception& e) {
    return fail(ErrorCode::kInternal, std::string("config: ") + e.what());
  }
}

Result<Config> load_config(const std::filesystem::path& file) {
  try {
    const Result<std::string> text = read_file(file);
    if (!text) return tl::unexpected(text.error());
    Result<Config> config = parse_config(*text);
    if (!config) {
      // Name the file on every line: an operator may be juggling several.
      std::string message;
      std::istringstream lines(config.error().message);
      for (std::string line; std::getline(lines, line);) {
        message += (message.empty() ? "" : "\n") + file.string() + ": " + line;
      }
      return fail(config.error().code, message);
    }
    // Paths in the file mean where the file is, not where the process started.
    const std::filesystem::path dir = file.parent_path();
    const auto resolve = [&](std::filesystem::path& p) {
      if (p.is_relative()) p = (dir / p).lexically_normal();
    };
    resolve(config->data_dir);
    for (auto& [name, path] : config->secret_files) resolve(path);
    return config;
  } catch (const std::exception& e) {
    return fail(ErrorCode::kInternal, std::string("config: ") + e.what());
  }
}

}  // namespace escalator

// Request bodies read strictly (docs/http.md, "Request bodies"): JSON text
// that is UTF-8 throughout, no key twice in one object, nesting at most
// kMaxDepth deep, numbers within a double's range. Then its fields, each
// read at its JSON pointer with its type checked, and any field the route
// does not take refused, so a misspelt field is never silently ignored.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include "escalator/util/result.hpp"
#include "escalator/util/time.hpp"
#include "problem.hpp"

namespace escalator::http {

inline constexpr int kMaxDepth = 32;

// The body as JSON; an empty body reads as an empty object.
tl::expected<nlohmann::json, Problem> parse_body(std::string_view text);

// The fields of one JSON object of a body. The first problem found is kept
// and later reads do nothing, so a decoder reads on and asks problem() once.
class BodyFields {
 public:
  // `pointer`: where the object is in the body ("" for the body itself).
  BodyFields(const nlohmann::json& object, std::string pointer, std::optional<Problem>& problem);

  void text(const char* key, std::string& out, bool required = false);
  void flag(const char* key, bool& out, bool required = false);
  void texts(const char* key, std::vector<std::string>& out);
  void instant(const char* key, std::optional<Timestamp>& out);
  void duration(const char* key, Duration& out, bool required = false);
  // A name the engine parses (an enum by its English or Chinese name).
  template <class T>
  void named(const char* key, T& out, Result<T> (*parse)(std::string_view), bool required = false) {
    std::string name;
    text(key, name, required);
    if (name.empty() || problem_) return;
    auto parsed = parse(name);
    if (!parsed) return fail(ProblemKind::kInvalidField, key, parsed.error().message);
    out = *parsed;
  }
  // The object at `key`, read by `read`; absent leaves `out` as it is.
  void object(const char* key, const std::function<void(BodyFields&)>& read, bool required = false);
  // Refuses every key of the object that no read above asked for.
  void no_others();

 private:
  const nlohmann::json* value(const char* key, bool required);
  void fail(ProblemKind kind, std::string_view key, std::string detail);

  const nlohmann::json& object_;
  std::string pointer_;
  std::optional<Problem>& problem_;
  std::set<std::string, std::less<>> read_;
};

}  // namespace escalator::http

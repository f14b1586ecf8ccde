// JSON in the form RFC 8785 (JSON Canonicalization Scheme) fixes: the bytes an
// event's hash is taken over (docs/history.md), so that anyone can recompute
// them in any language from the event's JSON.
//
// Members sorted by their names' UTF-16 code units, no whitespace, strings
// with '"' and '\\' escaped, \b \f \n \r \t by name, other control characters
// as \u00xx (lowercase hex), everything else as the UTF-8 it is. Numbers are
// integers only: an event holds no fractions, and integers are the one kind of
// number every JSON reader writes back the same way.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "escalator/util/result.hpp"

namespace escalator {

// The canonical bytes of `value`. kInvalidArgument naming the JSON pointer
// of the first number that is not an integer or string that is not UTF-8.
[[nodiscard]] Result<std::string> canonical_json(const nlohmann::ordered_json& value);
[[nodiscard]] Result<std::string> canonical_json(const nlohmann::json& value);

}  // namespace escalator

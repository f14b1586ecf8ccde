// Where in a JSON text each value is: the line of every JSON pointer, so that
// an error about "/steps/2/accept_within" can say "line 31". RapidJSON's SAX
// reader reports each key and value as it reads them, with the offset reached.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace escalator {

// JSON pointer -> 1-based line where its key (or, in an array, its value)
// is written; "" -> 1. Empty apart from "" when the text is not JSON.
std::map<std::string, int> json_pointer_lines(std::string_view text);

// The line of `pointer`, or of its nearest ancestor that has one.
int line_of(const std::map<std::string, int>& lines, std::string pointer);

}  // namespace escalator

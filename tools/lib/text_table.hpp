// Text for people on a terminal: columns that line up when cells hold Chinese.
// Every table the CLI prints goes through TextTable, and every padded label
// through pad(), so that one rule (wcwidth) decides how wide text is.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace escalator::tools {

// The columns a terminal gives UTF-8 text: wcwidth(3) of each code point in
// the C.UTF-8 locale, so a Chinese character or a full-width comma takes two,
// a combining mark none. A control character or invalid byte counts one.
std::size_t display_width(std::string_view text);

// `text` and spaces after it, to `columns` columns (the text as is when wider).
std::string pad(std::string text, std::size_t columns);

// Rows of cells printed in aligned columns, two spaces apart: the first column
// left-aligned, the others right-aligned when they hold numbers (a count, a
// rate, "-") and left-aligned otherwise. The first row added is the header.
class TextTable {
 public:
  void add_row(std::vector<std::string> cells);
  bool empty() const { return rows_.size() <= 1; }
  void print(std::ostream& out) const;

 private:
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace escalator::tools

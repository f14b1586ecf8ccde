// Cells of the CSV files the engine writes for spreadsheets (reports, the
// directory sheet) and reads back. RFC 4180 quoting, and OWASP's rule against
// CSV injection: a cell a spreadsheet would run as a formula is written as text.
#pragma once

#include <string>
#include <string_view>

namespace escalator {

// The cell for `text`: quoted when it holds a comma, a quote or a line break,
// or begins or ends with a blank a reader would trim; and when it begins with
// =, +, -, @, a tab or a carriage return, which Excel and its kind read as a
// formula, written after an apostrophe, which they show as text.
std::string csv_cell(std::string_view text);

// The text of a cell as parsed, with the apostrophe csv_cell() puts before a
// formula's first character taken off, so that a sheet the engine wrote reads
// back as it was.
std::string csv_cell_text(std::string_view parsed);

}  // namespace escalator

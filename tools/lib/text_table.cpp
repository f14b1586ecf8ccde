#include "text_table.hpp"

#include <locale.h>

#include <algorithm>
#include <cwchar>

#include "json_text.hpp"
#include "utf8.hpp"

namespace escalator::tools {
namespace {

// C.UTF-8's character classes, whatever the process's own locale is.
locale_t utf8_ctype() {
  static const locale_t kLocale = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
  return kLocale;
}

int columns_of(char32_t cp) {
  const locale_t utf8 = utf8_ctype();
  if (utf8 == static_cast<locale_t>(nullptr)) return 1;
  const locale_t was = uselocale(utf8);
  const int width = wcwidth(static_cast<wchar_t>(cp));
  uselocale(was);
  return width < 0 ? 1 : width;
}

// Numbers line up on their right: "12", "87.5%", "-", "3.4".
bool numeric(std::string_view cell) {
  if (cell.empty() || cell == "-") return true;
  return std::all_of(cell.begin(), cell.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.' || c == '%'; });
}

}  // namespace

std::size_t display_width(std::string_view text) {
  if (!is_utf8(text)) return text.size();
  std::size_t width = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {  // ASCII without a locale switch
      width += 1;
      ++i;
      continue;
    }
    width += static_cast<std::size_t>(columns_of(next_code_point(text, i)));
  }
  return width;
}

std::string pad(std::string text, std::size_t columns) {
  const std::size_t width = display_width(text);
  if (width < columns) text.append(columns - width, ' ');
  return text;
}

void TextTable::add_row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }

void TextTable::print(std::ostream& out) const {
  std::vector<std::size_t> widths;
  std::vector<bool> left;
  for (const auto& row : rows_) {
    if (row.size() > widths.size()) {
      widths.resize(row.size(), 0);
      left.resize(row.size(), false);
    }
    for (std::size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], display_width(row[i]));
      if (&row != &rows_.front() && (i == 0 || !numeric(row[i]))) left[i] = true;
    }
  }
  if (!left.empty()) left[0] = true;
  for (const auto& row : rows_) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      const std::size_t room = widths[i] - std::min(widths[i], display_width(row[i]));
      if (i > 0) line += "  ";
      const bool last = i + 1 == row.size();
      if (left[i]) {
        line += row[i];
        if (!last) line.append(room, ' ');
      } else {
        line.append(room, ' ');
        line += row[i];
      }
    }
    out << line << "\n";
  }
}

}  // namespace escalator::tools

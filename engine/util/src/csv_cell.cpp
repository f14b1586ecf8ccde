#include "escalator/util/csv_cell.hpp"

namespace escalator {
namespace {

bool starts_a_formula(char c) { return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r'; }

}  // namespace

std::string csv_cell(std::string_view text) {
  const bool formula = !text.empty() && starts_a_formula(text.front());
  const bool quoted = formula || text.find_first_of(",\"\r\n") != std::string_view::npos ||
                      (!text.empty() && (text.front() == ' ' || text.back() == ' '));
  if (!quoted) return std::string(text);
  std::string out = formula ? "\"'" : "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string csv_cell_text(std::string_view parsed) {
  if (parsed.size() >= 2 && parsed.front() == '\'' && starts_a_formula(parsed[1])) parsed.remove_prefix(1);
  return std::string(parsed);
}

}  // namespace escalator

#include "json_file.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "json_lines.hpp"

namespace escalator {

JsonFile::JsonFile(std::string_view text, std::string file, const JsonSchema& schema) : file_(std::move(file)) {
  // A UTF-8 byte-order mark: nlohmann skips it, RapidJSON would not, and lines would disagree.
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  auto parsed = parse_json_text(text);
  if (!parsed) {
    // "invalid JSON at byte 53: line 3, column 27: ..." names its own line.
    const std::string& m = parsed.error().message;
    const auto at = m.find(": line ");
    const int line = at == std::string::npos ? 1 : std::atoi(m.c_str() + at + 7);
    problems_.push_back({file_, line, "", m});
    return;
  }
  text_ = text;
  for (const auto& p : schema.check(*parsed)) problem(p.pointer, p.reason);
  if (problems_.empty()) doc_ = std::move(*parsed);
}

void JsonFile::problem(const std::string& pointer, const std::string& reason) {
  if (!lines_) lines_ = json_pointer_lines(text_);
  cap_.add(problems_, {file_, line_of(*lines_, pointer), pointer, reason});
}

std::optional<std::string> read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace escalator

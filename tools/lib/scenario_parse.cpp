#include <fstream>
#include <sstream>

#include "scenario.hpp"

namespace escalator::scenario {
namespace {

Error at(const std::string& file, int line, const std::string& why) {
  return Error{ErrorCode::kInvalidArgument, file + ":" + std::to_string(line) + ": " + why};
}

// Splits on blanks; "double quotes" keep blanks inside one word, in a bare word
// or after key=. \" is a quote.
Result<std::vector<std::string>> words_of(std::string_view line, const std::string& file, int n) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i >= line.size()) break;
    std::string word;
    bool quoted = false;
    for (; i < line.size(); ++i) {
      const char c = line[i];
      if (quoted && c == '\\' && i + 1 < line.size() && line[i + 1] == '"') {
        word += '"';
        ++i;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && (c == ' ' || c == '\t')) {
        break;
      } else {
        word += c;
      }
    }
    if (quoted) return tl::unexpected(at(file, n, "unclosed quote"));
    words.push_back(std::move(word));
  }
  return words;
}

bool header_key(std::string_view line, std::string_view key) {
  return line.size() > key.size() && line.substr(0, key.size()) == key && line[key.size()] == ':';
}

std::string trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return "";
  const auto last = text.find_last_not_of(" \t\r");
  return std::string(text.substr(first, last - first + 1));
}

}  // namespace

Result<Scenario> parse(std::string_view text, std::string file) {
  Scenario s;
  s.file = std::move(file);
  bool has_start = false;
  std::istringstream lines{std::string(text)};
  std::string raw;
  for (int n = 1; std::getline(lines, raw); ++n) {
    const std::string line = trimmed(raw);
    if (line.empty() || line[0] == '#') continue;
    if (s.steps.empty()) {
      bool was_header = true;
      if (header_key(line, "name")) {
        s.name = trimmed(line.substr(5));
      } else if (header_key(line, "description")) {
        s.description = trimmed(line.substr(12));
      } else if (header_key(line, "group")) {
        s.group = trimmed(line.substr(6));
      } else if (header_key(line, "workflow")) {
        // Repeated, or several on one line separated by commas.
        std::istringstream files(line.substr(9));
        for (std::string file; std::getline(files, file, ',');) {
          if (!trimmed(file).empty()) s.workflows.push_back(trimmed(file));
        }
      } else if (header_key(line, "start")) {
        auto start = parse_time(trimmed(line.substr(6)));
        if (!start) return tl::unexpected(at(s.file, n, "start: " + start.error().message));
        s.start = *start;
        has_start = true;
      } else {
        was_header = false;
      }
      if (was_header) continue;
    }
    auto words = words_of(line, s.file, n);
    if (!words) return tl::unexpected(words.error());
    Step step;
    step.line = n;
    step.verb = words->front();
    for (std::size_t i = 1; i < words->size(); ++i) {
      const std::string& w = (*words)[i];
      const auto eq = w.find('=');
      if (eq != std::string::npos && eq > 0 && w[0] != '@') {
        std::string key = w.substr(0, eq), value = w.substr(eq + 1);
        step.args[key] = value;
        step.ordered_args.emplace_back(std::move(key), std::move(value));
      } else {
        step.words.push_back(w);
      }
    }
    s.steps.push_back(std::move(step));
  }
  if (s.name.empty()) return tl::unexpected(at(s.file, 1, "name: required in the header"));
  if (!has_start) return tl::unexpected(at(s.file, 1, "start: required in the header"));
  if (s.steps.empty()) return tl::unexpected(at(s.file, 1, "no steps"));
  return s;
}

Result<Scenario> load(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return fail(ErrorCode::kNotFound, "Cannot read scenario " + file.string());
  std::stringstream text;
  text << in.rdbuf();
  return parse(text.str(), file.string());
}

}  // namespace escalator::scenario

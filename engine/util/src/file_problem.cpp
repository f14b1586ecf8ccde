#include "escalator/util/file_problem.hpp"

#include <cctype>

namespace escalator {
namespace {

// Where and what, without the numbers and names that differ between copies.
std::string kind_of(const FileProblem& p) {
  std::string kind;
  kind.reserve(p.pointer.size() + p.reason.size() + 1);
  const auto add = [&](const std::string& text) {
    char quote = 0;
    for (const char c : text) {
      if (quote != 0) {
        if (c == quote) quote = 0, kind += c;
      } else if (c == '\'' || c == '"') {
        quote = c;
        kind += c;
      } else if (std::isdigit(static_cast<unsigned char>(c))) {
        if (kind.empty() || kind.back() != '#') kind += '#';
      } else {
        kind += c;
      }
    }
  };
  add(p.pointer);
  kind += '|';
  add(p.reason);
  return kind;
}

}  // namespace

void ProblemCap::add(std::vector<FileProblem>& into, FileProblem problem) {
  Kind& kind = kinds_[kind_of(problem)];
  if (++kind.seen <= kProblemsOfAKind) {
    into.push_back(std::move(problem));
    return;
  }
  if (!kind.more_at) {
    kind.more_at = into.size();
    kind.first_reason = problem.reason;
    into.push_back(problem);
  }
  FileProblem& more = into[*kind.more_at];
  more.reason = "and " + std::to_string(kind.seen - kProblemsOfAKind) + " more like it, the last on line " +
                std::to_string(problem.line) + ": " + kind.first_reason;
}

}  // namespace escalator

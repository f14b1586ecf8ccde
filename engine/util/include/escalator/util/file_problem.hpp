// One thing wrong with a file an administrator wrote (a workflow, an org
// directory), located for the person who must mend it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace escalator {

struct FileProblem {
  std::string file;
  int line = 1;
  std::string pointer;  // JSON pointer of the value at fault; empty for the whole file
  std::string reason;

  // "workflows/x.json:12: /steps/1/level: must be one of ..., but is \"roof\""
  std::string text() const {
    return file + ":" + std::to_string(line) + ": " + (pointer.empty() ? std::string() : pointer + ": ") + reason;
  }
};

// Keeps a file's problems to a bounded number of each kind, so that a
// spreadsheet with one mistake copied down a hundred thousand rows is told
// it kProblemsOfAKind times and how many more, not a hundred thousand times,
// and its reader's memory follows the work, not the mistakes. A kind is where
// (the pointer or column, its numbers left out) and what (the reason, its
// numbers and quoted names left out).
class ProblemCap {
 public:
  static constexpr int kProblemsOfAKind = 20;
  // Adds `problem` to `into`, or, past the bound for its kind, counts it in
  // one problem at the end of its kind's: "and 3547 more like it, the last on line 703540".
  void add(std::vector<FileProblem>& into, FileProblem problem);

 private:
  struct Kind {
    long seen = 0;
    std::optional<std::size_t> more_at;  // the index in `into` of the problem that counts the rest
    std::string first_reason;            // of the first problem past the bound
  };
  std::map<std::string, Kind> kinds_;
};

}  // namespace escalator

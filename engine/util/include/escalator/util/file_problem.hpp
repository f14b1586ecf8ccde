// One thing wrong with a file an administrator wrote (a workflow, an org
// directory), located for the person who must mend it.
#pragma once

#include <string>

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

}  // namespace escalator

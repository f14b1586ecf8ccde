// An org directory kept as a spreadsheet (docs/directory.md, "The CSV file"):
// one row per record, a 类型 (kind) column saying what each row is. The sheet
// is turned into the JSON file it stands for, which the one reader checks;
// what that reader finds is told back by the sheet's line and column.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "escalator/util/file_problem.hpp"
#include "escalator/org/org_directory.hpp"

namespace escalator {

class OrgCsvSheet {
 public:
  // Reads `text` (RFC 4180, UTF-8, an optional byte-order mark) as the sheet
  // `file`. Problems of the sheet itself (a malformed row, an unknown column
  // or kind, a missing value) are its problems(); without any, json() is the
  // directory file the rows make, each list in the order of the rows.
  static OrgCsvSheet read(std::string_view text, const std::string& file);

  const std::vector<FileProblem>& problems() const { return problems_; }
  const std::string& json() const { return json_; }

  // A problem the directory reader found in json(), told by the sheet's line
  // and the column at fault, and with the records it names by their lines.
  FileProblem located(const FileProblem& in_json) const;

 private:
  std::string file_;
  std::vector<FileProblem> problems_;
  std::string json_;
  std::map<std::string, int> lines_;  // JSON pointer of a record -> the sheet's line for it
  // JSON key -> the column's header as the sheet writes it: one sheet, one header row.
  std::map<std::string, std::string> headers_;
};

// A directory file in either format, read, with the JSON file it stands for
// (the text itself for JSON): what the store keeps of an import.
struct OrgFileRead {
  OrgFile file;
  std::string json;  // when file.directory
  // A CSV that was not UTF-8 and was read as GB18030 (GBK): a sheet a Chinese
  // Excel saved as plain CSV.
  bool converted_from_gb18030 = false;
};
OrgFileRead read_org_file(std::string_view text, const std::string& file, OrgFileFormat format,
                          std::uint64_t version = 0);

}  // namespace escalator

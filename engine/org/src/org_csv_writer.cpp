// A directory file written as the CSV sheet that reads back as it
// (org_directory_as_csv in org_directory.hpp), for administrators who keep
// the directory in a spreadsheet.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "escalator/org/org_directory.hpp"
#include "escalator/util/csv_cell.hpp"
#include "org_csv_words.hpp"

namespace escalator {
namespace {

using Json = nlohmann::ordered_json;
using namespace org_csv;

std::string level_word(const std::string& english) {
  for (const auto& [chinese, word] : kLevels) {
    if (english == word) return chinese;
  }
  return english;
}

class SheetWriter {
 public:
  SheetWriter() {
    std::vector<std::string> header;
    for (const ColumnName& c : kColumns) header.emplace_back(c.chinese);
    row(header);
  }

  // One row of `kind`, its cells taken from `record` by the directory file's keys.
  void add(Kind kind, const Json& record) {
    std::vector<std::string> cells;
    for (const ColumnName& c : kColumns) {
      std::string value;
      if (c.column == Column::kKind) {
        value = kind_rules()[static_cast<std::size_t>(kind)].chinese;
      } else if (record.contains(c.english) && record[c.english].is_string()) {
        value = record[c.english].get<std::string>();
        if (c.column == Column::kLevel) value = level_word(value);
      }
      cells.push_back(std::move(value));
    }
    row(cells);
  }

  std::string text() && { return std::move(text_); }

 private:
  void row(const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) text_ += (i == 0 ? "" : ",") + csv_cell(cells[i]);
    text_ += "\r\n";
  }

  std::string text_ = "\xEF\xBB\xBF";  // so that Excel reads it as UTF-8
};

int level_rank(const Json& place) {
  const std::string level = place.value("level", "");
  for (std::size_t i = 0; i < kLevels.size(); ++i) {
    if (level == kLevels[i].second) return static_cast<int>(i);
  }
  return static_cast<int>(kLevels.size());
}

}  // namespace

std::string org_directory_as_csv(std::string_view json) {
  const Json doc = Json::parse(json);
  SheetWriter sheet;
  sheet.add(Kind::kDirectory, Json{{"name", doc["name"]}});
  for (const auto& [id, role] : doc["roles"].items()) {
    Json with_id = role;
    with_id["id"] = id;
    sheet.add(Kind::kRole, with_id);
  }
  std::vector<Json> places(doc["places"].begin(), doc["places"].end());
  std::stable_sort(places.begin(), places.end(),
                   [](const Json& a, const Json& b) { return level_rank(a) < level_rank(b); });
  for (const Json& place : places) sheet.add(Kind::kPlace, place);
  for (const Json& unit : doc.value("units", Json::array())) sheet.add(Kind::kUnit, unit);
  for (const Json& person : doc.value("people", Json::array())) {
    for (Json post : person["posts"]) {
      post["id"] = person["id"];
      post["name"] = person["name"];
      sheet.add(Kind::kPerson, post);
    }
  }
  for (const Json& entry : doc.value("addresses", Json::array())) sheet.add(Kind::kAddress, entry);
  return std::move(sheet).text();
}

}  // namespace escalator

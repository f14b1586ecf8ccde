// The org directory's CSV form (org_csv.hpp). libcsv splits the text into
// rows (RFC 4180: quoted cells may hold commas, quotes and line breaks); this
// file says what the rows mean.
#include "org_csv.hpp"

#include <csv.h>

#include "escalator/util/csv_cell.hpp"

#include <algorithm>
#include <array>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>

#include "json_text.hpp"
#include "org_csv_words.hpp"

namespace escalator {
namespace {

using Json = nlohmann::json;
using namespace org_csv;

struct Row {
  int line = 0;
  std::vector<std::string> cells;
};

std::string lower_ascii(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// Hands each row of `text` to `take` (when given) with the line it begins on,
// one at a time, so that a sheet of any size is never held as rows; the
// first problem stops it. Without `take`, only checks that the text splits.
struct RowCollector {
  const std::function<void(const Row&)>* take = nullptr;
  std::vector<std::string> cells;
  int start = 0;  // the line the row being read began on; 0 before it begins

  static void cell(void* text, std::size_t size, void* self) {
    auto* c = static_cast<RowCollector*>(self);
    if (c->take == nullptr) return;
    // A formula's apostrophe, put there by the engine's own writer, comes off.
    c->cells.push_back(text == nullptr ? std::string() : csv_cell_text({static_cast<const char*>(text), size}));
  }
  static void row_end(int, void* self) {
    auto* c = static_cast<RowCollector*>(self);
    if (c->take != nullptr) (*c->take)(Row{c->start, std::move(c->cells)});
    c->cells.clear();
    c->start = 0;
  }
};

// The first problem that stops the split, if any.
std::optional<FileProblem> split_rows(std::string_view text, const std::string& file,
                   const std::function<void(const Row&)>* take = nullptr) {
  std::optional<FileProblem> problem;
  RowCollector collector;
  collector.take = take;
  csv_parser parser{};
  csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI);
  int line = 0;
  for (std::size_t pos = 0; pos < text.size() && !problem;) {
    const std::size_t newline = text.find('\n', pos);
    const std::size_t end = newline == std::string_view::npos ? text.size() : newline + 1;
    const std::string_view chunk = text.substr(pos, end - pos);
    ++line;
    if (!is_utf8(chunk)) {
      problem = FileProblem{
          file, line, "", "is not UTF-8: save the sheet as CSV UTF-8 (逗号分隔), not as plain CSV"};
    } else if (collector.start == 0 && chunk != "\n" && chunk != "\r\n") {
      collector.start = line;
    }
    if (!problem && csv_parse(&parser, chunk.data(), chunk.size(), RowCollector::cell,
                                     RowCollector::row_end, &collector) != chunk.size()) {
      problem =
          FileProblem{file, line, "",
                      "a quote inside a cell that does not begin with one, or text after a quoted "
                      "cell's closing quote: quote the whole cell and double the quotes in it"};
    }
    pos = end;
  }
  if (!problem &&
      csv_fini(&parser, RowCollector::cell, RowCollector::row_end, &collector) != 0) {
    problem = FileProblem{file, collector.start, "", "a quoted cell is never closed"};
  }
  csv_free(&parser);
  return problem;
}

// "2027-01-01", also as spreadsheets write it: 2027-1-1, 2027/1/1, 2027.1.1, 2027年1月1日.
std::optional<std::string> day_of(const std::string& cell) {
  static const std::regex ascii(R"(^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$)");
  static const std::regex chinese("^(\\d{4})年(\\d{1,2})月(\\d{1,2})日$");
  std::smatch m;
  std::string year, month, day;
  if (std::regex_match(cell, m, ascii)) {
    year = m[1], month = m[3], day = m[4];
  } else if (std::regex_match(cell, m, chinese)) {
    year = m[1], month = m[2], day = m[3];
  } else {
    return std::nullopt;
  }
  const auto two = [](const std::string& n) { return n.size() == 1 ? "0" + n : n; };
  return year + "-" + two(month) + "-" + two(day);
}

std::string kinds_text() {
  std::string text;
  for (const KindRule& k : kind_rules()) text += std::string(text.empty() ? "" : ", ") + k.chinese;
  text += " (or";
  for (const KindRule& k : kind_rules())
    text += std::string(" ") + k.english + (k.kind == Kind::kAddress ? ")" : ",");
  return text;
}

class SheetReader {
 public:
  // `headers` and `lines_of` are where each record came from: its columns' headers and its line.
  SheetReader(const std::string& file, std::vector<FileProblem>& problems,
              std::map<std::string, std::string>& headers, std::map<std::string, int>& lines_of)
      : file_(file), problems_(problems), headers_(headers), lines_of_(lines_of) {}

  // The rows in turn, as the sheet has them: the first names the columns.
  void take(const Row& row) {
    if (header_line_ == 0) {
      header_line_ = row.line;
      header_read_ = read_header(row);
      if (header_read_) {
        for (const ColumnName& c : kColumns) headers_[c.english] = header(c.column);
      }
    } else if (header_read_) {
      read_row(row);
    }
  }

  // The directory file the rows made, once every row is taken.
  Json finish() {
    if (header_line_ == 0) {
      problem(1, "",
              "is empty: the first row names the columns (" +
                  std::string(name_of(Column::kKind).chinese) + ", " +
                  name_of(Column::kId).chinese + ", " + name_of(Column::kName).chinese + ", …)");
      return {};
    }
    if (!header_read_) return {};
    if (!named_) problem(header_line_, "", "no 目录 (directory) row names the directory");
    if (doc_["roles"].empty())
      problem(header_line_, "",
              "no 角色 (role) rows: a directory declares the roles its units play");
    if (!has_places_) problem(header_line_, "", "no 地点 (place) rows");
    return doc_;
  }

 private:
  void problem(int line, const std::string& column, const std::string& reason) {
    cap_.add(problems_, {file_, line, column, reason});
  }

  // The column as the sheet's header writes it, or as it would be written.
  std::string header(Column column) const {
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      if (columns_[i] == column) return header_text_[i];
    }
    return std::string(name_of(column).chinese) + " (" + name_of(column).english + ")";
  }

  bool read_header(const Row& row) {
    bool sound = true;
    for (const std::string& cell : row.cells) {
      std::optional<Column> found;
      for (const ColumnName& c : kColumns) {
        if (cell == c.chinese || lower_ascii(cell) == c.english) found = c.column;
      }
      if (cell.empty()) {
        found =
            Column::kNote;  // a column without a header must stay empty; read_row says so otherwise
      } else if (!found) {
        std::string known;
        for (const ColumnName& c : kColumns)
          known += std::string(known.empty() ? "" : ", ") + c.chinese;
        problem(row.line, cell,
                "is not a column: the columns are " + known + " (or their English names, " +
                    "kind, id, name, …; docs/directory.md)");
        sound = false;
      } else if (std::find(columns_.begin(), columns_.end(), *found) != columns_.end() &&
                 *found != Column::kNote) {
        problem(row.line, cell, "is a column already: each column appears once");
        sound = false;
      }
      columns_.push_back(found.value_or(Column::kNote));
      header_text_.push_back(cell);
    }
    if (std::find(columns_.begin(), columns_.end(), Column::kKind) == columns_.end()) {
      problem(row.line, "",
              "the first row names the columns, and no column is 类型 (kind): each row says what "
              "it is");
      sound = false;
    }
    return sound;
  }

  void read_row(const Row& row) {
    if (std::all_of(row.cells.begin(), row.cells.end(),
                    [](const std::string& c) { return c.empty(); }))
      return;
    if (row.cells.size() != columns_.size()) {
      problem(row.line, "",
              "has " + std::to_string(row.cells.size()) + " cells, but the header has " +
                  std::to_string(columns_.size()) + ": a cell holding a comma must be quoted");
      return;
    }
    std::map<Column, std::string> values;
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      if (row.cells[i].empty()) continue;
      if (header_text_[i].empty()) {
        problem(row.line, "",
                "cell " + std::to_string(i + 1) + " holds a value, but its column has no header");
        return;
      }
      if (columns_[i] != Column::kNote) values[columns_[i]] = row.cells[i];
    }
    const std::string kind_cell = values.contains(Column::kKind) ? values[Column::kKind] : "";
    const KindRule* rule = nullptr;
    for (const KindRule& k : kind_rules()) {
      if (kind_cell == k.chinese || lower_ascii(kind_cell) == k.english) rule = &k;
    }
    if (rule == nullptr) {
      problem(row.line, header(Column::kKind),
              (kind_cell.empty() ? std::string("is empty")
                                 : "'" + kind_cell + "' is not a kind of row") +
                  ": a row is one of " + kinds_text());
      return;
    }
    bool sound = true;
    for (const auto& [column, value] : values) {
      if (column == Column::kKind) continue;
      const auto& r = rule->required;
      const auto& o = rule->optional;
      if (std::find(r.begin(), r.end(), column) == r.end() &&
          std::find(o.begin(), o.end(), column) == o.end()) {
        problem(row.line, header(column),
                "a " + std::string(rule->chinese) + " row has no " + header(column) +
                    "; leave it empty");
        sound = false;
      }
    }
    for (Column column : rule->required) {
      if (!values.contains(column)) {
        problem(row.line, header(column), "a " + std::string(rule->chinese) + " row needs one");
        sound = false;
      }
    }
    sound = normalise(row.line, values) && sound;
    if (sound) add(*rule, row.line, values);
  }

  // Levels and days as spreadsheets write them, as the directory file has them.
  bool normalise(int line, std::map<Column, std::string>& values) {
    bool sound = true;
    if (values.contains(Column::kLevel)) {
      std::string& level = values[Column::kLevel];
      std::optional<std::string> english;
      std::string known;
      for (const auto& [chinese, word] : kLevels) {
        if (level == chinese || lower_ascii(level) == word) english = word;
        known += std::string(known.empty() ? "" : ", ") + chinese + " (" + word + ")";
      }
      if (english) {
        level = *english;
      } else {
        problem(line, header(Column::kLevel), "'" + level + "' is not a level: one of " + known);
        sound = false;
      }
    }
    for (Column column : {Column::kValidFrom, Column::kValidTo}) {
      if (!values.contains(column)) continue;
      if (const auto day = day_of(values[column])) {
        values[column] = *day;
      } else {
        problem(
            line, header(column),
            "'" + values[column] + "' is not a day: write 2027-01-01, 2027/1/1 or 2027年1月1日");
        sound = false;
      }
    }
    return sound;
  }

  Json record_of(const KindRule& rule, const std::map<Column, std::string>& values) {
    Json record = Json::object();
    for (const auto& [column, value] : values) {
      if (column == Column::kKind ||
          (rule.kind == Kind::kPerson && (column == Column::kId || column == Column::kName))) {
        continue;
      }
      record[name_of(column).english] = value;
    }
    return record;
  }

  // Once the sheet has a problem, nothing reads its records: their lines are not kept.
  void locate(const std::string& pointer, int line) {
    if (problems_.empty()) lines_of_[pointer] = line;
  }

  void add(const KindRule& rule, int line, const std::map<Column, std::string>& values) {
    Json record = record_of(rule, values);
    switch (rule.kind) {
      case Kind::kDirectory:
        if (named_) {
          problem(line, header(Column::kName),
                  "the directory is named on line " + std::to_string(named_) +
                      " already: one 目录 row");
          return;
        }
        named_ = line;
        doc_["name"] = values.at(Column::kName);
        locate("/name", line);
        return;
      case Kind::kRole: {
        const std::string& id = values.at(Column::kId);
        if (const auto it = role_lines_.find(id); it != role_lines_.end()) {
          problem(
              line, header(Column::kId),
              "role '" + id + "' is declared on line " + std::to_string(it->second) + " already");
          return;
        }
        role_lines_[id] = line;
        record.erase("id");
        doc_["roles"][id] = std::move(record);
        locate("/roles/" + id, line);
        return;
      }
      case Kind::kPlace:
      case Kind::kUnit:
      case Kind::kAddress: {
        const std::string list = rule.kind == Kind::kPlace  ? "places"
                                 : rule.kind == Kind::kUnit ? "units"
                                                            : "addresses";
        has_places_ = has_places_ || rule.kind == Kind::kPlace;
        // A sheet with a problem is refused whole: its records are not gathered,
        // so that a broken sheet of any size costs only what finding its problems does.
        if (!problems_.empty()) return;
        locate("/" + list + "/" + std::to_string(doc_[list].size()), line);
        doc_[list].push_back(std::move(record));
        return;
      }
      case Kind::kPerson:
        add_post(line, values, std::move(record));
        return;
    }
  }

  // A person is the rows of their posts, gathered under their id.
  void add_post(int line, const std::map<Column, std::string>& values, Json post) {
    const std::string& id = values.at(Column::kId);
    const std::string& name = values.at(Column::kName);
    auto it = people_.find(id);
    if (it == people_.end()) {
      it = people_.emplace(id, std::make_pair(doc_["people"].size(), line)).first;
      doc_["people"].push_back({{"id", id}, {"name", name}, {"posts", Json::array()}});
      locate("/people/" + std::to_string(it->second.first), line);
    }
    Json& person = doc_["people"][it->second.first];
    if (person["name"] != name) {
      problem(line, header(Column::kName),
              "'" + id + "' is " + person["name"].get<std::string>() + " on line " +
                  std::to_string(it->second.second) + ": one id, one person");
      return;
    }
    locate("/people/" + std::to_string(it->second.first) + "/posts/" +
               std::to_string(person["posts"].size()),
           line);
    person["posts"].push_back(std::move(post));
  }

  const std::string& file_;
  std::vector<FileProblem>& problems_;
  std::vector<Column> columns_;  // of each cell, by position; kNote for what is not read
  std::vector<std::string> header_text_;
  Json doc_ = {{"roles", Json::object()},
               {"places", Json::array()},
               {"units", Json::array()},
               {"people", Json::array()},
               {"addresses", Json::array()}};
  int named_ = 0;  // the line of the 目录 row
  std::map<std::string, int> role_lines_;
  ProblemCap cap_;
  std::map<std::string, std::pair<std::size_t, int>> people_;  // id -> index in /people, first line
  bool has_places_ = false;
  int header_line_ = 0;  // 0 until the header row is taken
  bool header_read_ = false;
  std::map<std::string, std::string>& headers_;
  std::map<std::string, int>& lines_of_;
};

}  // namespace

OrgCsvSheet OrgCsvSheet::read(std::string_view text, const std::string& file) {
  OrgCsvSheet sheet;
  sheet.file_ = file;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // the byte-order mark Excel writes
  // A sheet that does not split into rows is told by that alone, before any row is read.
  if (auto problem = split_rows(text, file)) {
    sheet.problems_.push_back(*problem);
    return sheet;
  }
  SheetReader reader(file, sheet.problems_, sheet.headers_, sheet.lines_);
  const std::function<void(const Row&)> take = [&](const Row& row) { reader.take(row); };
  (void)split_rows(text, file, &take);
  const Json doc = reader.finish();
  if (!sheet.problems_.empty()) return sheet;
  sheet.json_ = doc.dump();
  return sheet;
}

FileProblem OrgCsvSheet::located(const FileProblem& in_json) const {
  FileProblem out{file_, 1, "", in_json.reason};
  std::string pointer = in_json.pointer;
  std::string field;
  while (!pointer.empty()) {
    if (const auto it = lines_.find(pointer); it != lines_.end()) {
      out.line = it->second;
      if (const auto h = headers_.find(field); h != headers_.end()) out.pointer = h->second;
      break;
    }
    const std::size_t slash = pointer.rfind('/');
    field = pointer.substr(slash + 1);
    pointer.resize(slash);
  }
  // The records a reason names, by their lines: "/places/11" -> "line 14".
  static const std::regex named(
      R"(/(?:places|units|addresses)/\d+|/people/\d+(?:/posts/\d+)?|/roles/[A-Za-z0-9_]+)");
  std::string reason;
  auto from = out.reason.cbegin();
  for (std::sregex_iterator it(out.reason.begin(), out.reason.end(), named), end; it != end; ++it) {
    reason.append(from, (*it)[0].first);
    const auto record = lines_.find(it->str());
    reason += record == lines_.end() ? it->str() : "line " + std::to_string(record->second);
    from = (*it)[0].second;
  }
  reason.append(from, out.reason.cend());
  static const std::regex list(R"( in /(?:places|units|roles|people|addresses)\b)");
  out.reason = std::regex_replace(reason, list, " in the sheet");
  return out;
}

}  // namespace escalator

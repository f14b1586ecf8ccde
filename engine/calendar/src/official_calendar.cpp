// The official calendar: notices read from JSON, checked, and looked up by date
// (official_calendar.hpp, docs/calendar.md).
#include "escalator/calendar/official_calendar.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "embedded.hpp"
#include "json_lines.hpp"
#include "schema_check.hpp"

namespace escalator {
namespace {

using namespace std::chrono;
using Json = nlohmann::json;

const JsonSchema& schema() {
  static const JsonSchema compiled(embedded::calendar_schema());
  return compiled;
}

std::string iso(sys_days day) {
  const year_month_day ymd{day};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

bool is_weekend(sys_days day) {
  const weekday wd{day};
  return wd == Saturday || wd == Sunday;
}

// One problem per line.
Error invalid(const std::vector<std::string>& problems) {
  std::string message;
  for (const auto& line : problems) message += (message.empty() ? "" : "\n") + line;
  return Error{ErrorCode::kInvalidArgument, message};
}

// Problems of one file, each "FILE:LINE: POINTER: REASON".
class Problems {
 public:
  Problems(std::string_view text, std::string_view source)
      : lines_(json_pointer_lines(text)), source_(source) {}

  void add(const std::string& pointer, const std::string& reason) {
    list_.push_back(source_ + ":" + std::to_string(line_of(lines_, pointer)) + ": " +
                    (pointer.empty() ? "" : pointer + ": ") + reason);
  }
  bool empty() const { return list_.empty(); }
  Error error() const { return invalid(list_); }

 private:
  std::map<std::string, int> lines_;
  std::string source_;
  std::vector<std::string> list_;
};

// A date the schema has vouched is written YYYY-MM-DD; none when no such day exists.
std::optional<sys_days> date_of(const Json& value) {
  int y = 0;
  unsigned m = 0, d = 0;
  if (std::sscanf(value.get_ref<const std::string&>().c_str(), "%d-%u-%u", &y, &m, &d) != 3) return std::nullopt;
  const year_month_day ymd{year{y}, month{m}, day{d}};
  if (!ymd.ok()) return std::nullopt;
  return sys_days{ymd};
}

}  // namespace

Result<CalendarYear> parse_calendar_year(std::string_view text, std::string_view source) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  auto doc = parse_json_text(text);
  if (!doc) return fail(ErrorCode::kInvalidArgument, std::string(source) + ": " + doc.error().message);
  Problems problems(text, source);
  for (const auto& p : schema().check(*doc)) problems.add(p.pointer, p.reason);
  if (!problems.empty()) return tl::unexpected(problems.error());

  CalendarYear year;
  year.year = (*doc)["year"].get<int>();
  // A notice may begin its year's New Year break in late December of the year before.
  const sys_days earliest{std::chrono::year{year.year - 1} / December / 1};
  const sys_days latest{std::chrono::year{year.year} / December / 31};
  // Which entry claimed each date, to name both when one is listed twice.
  std::map<sys_days, std::string> claimed;
  const auto place = [&](const std::string& pointer, const Json& value) -> std::optional<sys_days> {
    const auto day = date_of(value);
    if (!day) {
      problems.add(pointer, "there is no such day as " + value.get<std::string>());
    } else if (*day < earliest || *day > latest) {
      problems.add(pointer, iso(*day) + " is outside " + std::to_string(year.year) +
                                " (and the December before, where a New Year break may begin)");
      return std::nullopt;
    }
    return day;
  };
  const auto claim = [&](const std::string& pointer, sys_days day, const std::string& what) {
    const auto [it, fresh] = claimed.emplace(day, what);
    if (!fresh) problems.add(pointer, iso(day) + " is listed twice: " + it->second + " and " + what);
  };

  for (const auto& notice : (*doc)["notices"]) {
    CalendarNotice n;
    n.title = notice["title"].get<std::string>();
    n.number = notice.value("number", "");
    n.date = date_of(notice["date"]).value_or(sys_days{});
    n.note = notice.value("note", "");
    year.notices.push_back(std::move(n));
  }
  const auto& holidays = (*doc)["holidays"];
  for (std::size_t i = 0; i < holidays.size(); ++i) {
    const std::string at = "/holidays/" + std::to_string(i);
    const auto& h = holidays[i];
    const auto from = place(at + "/from", h["from"]);
    const auto to = place(at + "/to", h["to"]);
    if (!from || !to) continue;
    const std::string name = h["name"].get<std::string>();
    if (*to < *from) {
      problems.add(at + "/to", "the break ends on " + iso(*to) + ", before it begins on " + iso(*from));
      continue;
    }
    for (sys_days day = *from; day <= *to; day += days{1}) claim(at, day, "a day of " + name);
    year.holidays.push_back({name, *from, *to});
  }
  const auto& working = (*doc)["working_days"];
  for (std::size_t i = 0; i < working.size(); ++i) {
    const std::string at = "/working_days/" + std::to_string(i) + "/date";
    const auto day = place(at, working[i]["date"]);
    if (!day) continue;
    const std::string holiday = working[i]["for"].get<std::string>();
    if (const auto it = claimed.find(*day); it != claimed.end() && it->second.starts_with("a day of ")) {
      problems.add(at, iso(*day) + " is both a holiday (" + it->second.substr(9) + ") and a moved working day");
      continue;
    }
    claim(at, *day, "a working day for " + holiday);
    if (!is_weekend(*day)) {
      problems.add(at, iso(*day) + " is a weekday, a working day already; a moved working day is a Saturday or Sunday");
    }
    year.working_days.push_back({*day, holiday});
  }
  if (holidays.empty()) {
    problems.add("/holidays", "the year " + std::to_string(year.year) +
                                  " has no holidays; every notice names some, so the file is incomplete");
  }
  if (!problems.empty()) return tl::unexpected(problems.error());
  return year;
}

Result<std::shared_ptr<const OfficialCalendar>> OfficialCalendar::from_years(std::vector<CalendarYear> years) {
  std::sort(years.begin(), years.end(), [](const auto& a, const auto& b) { return a.year < b.year; });
  std::map<sys_days, std::pair<Marked, int>> decided;  // date -> (how, which year's file)
  std::vector<std::string> problems;
  for (std::size_t i = 0; i < years.size(); ++i) {
    const auto& y = years[i];
    if (i > 0 && years[i - 1].year == y.year) {
      problems.push_back("two files for the year " + std::to_string(y.year));
      continue;
    }
    const auto mark = [&](sys_days day, Marked how) {
      const auto [it, fresh] = decided.emplace(day, std::make_pair(how, y.year));
      if (!fresh) {
        problems.push_back(iso(day) + " is decided by the files of both " + std::to_string(it->second.second) +
                           " and " + std::to_string(y.year));
      }
    };
    for (const auto& h : y.holidays) {
      for (sys_days day = h.from; day <= h.to; day += days{1}) mark(day, {false, h.name});
    }
    for (const auto& w : y.working_days) mark(w.date, {true, w.holiday + "调休上班"});
  }
  if (!problems.empty()) return tl::unexpected(invalid(problems));
  auto calendar = std::shared_ptr<OfficialCalendar>(new OfficialCalendar());
  calendar->years_ = std::move(years);
  for (auto& [day, entry] : decided) calendar->days_.emplace_back(day, std::move(entry.first));
  return std::shared_ptr<const OfficialCalendar>(std::move(calendar));
}

const OfficialCalendar::Marked* OfficialCalendar::marked(sys_days day) const {
  const auto it = std::lower_bound(days_.begin(), days_.end(), day,
                                   [](const auto& entry, sys_days d) { return entry.first < d; });
  return it != days_.end() && it->first == day ? &it->second : nullptr;
}

bool OfficialCalendar::is_provisional(sys_days day) const {
  const int y = static_cast<int>(year_month_day{day}.year());
  return !std::ranges::binary_search(years_, y, {}, &CalendarYear::year);
}

bool OfficialCalendar::is_working_day(sys_days day) const {
  if (const Marked* m = marked(day)) return m->working;
  return !is_weekend(day);
}

CalendarDay OfficialCalendar::day(sys_days d) const {
  CalendarDay result;
  result.provisional = is_provisional(d);
  if (const Marked* m = marked(d)) {
    result.working = m->working;
    result.name = m->name;
  } else {
    result.working = !is_weekend(d);
    if (!result.working) result.name = "周末";
  }
  return result;
}

std::shared_ptr<const OfficialCalendar> OfficialCalendar::with_working_hours(WorkingHours hours) const {
  auto copy = std::shared_ptr<OfficialCalendar>(new OfficialCalendar(*this));
  copy->working_hours_ = std::move(hours);
  return copy;
}

Result<std::shared_ptr<const OfficialCalendar>> OfficialCalendar::with_years(std::vector<CalendarYear> years,
                                                                            const std::string& label) const {
  for (const auto& kept : years_) {
    const bool replaced = std::any_of(years.begin(), years.end(), [&](const auto& y) { return y.year == kept.year; });
    if (!replaced) years.push_back(kept);
  }
  auto built = from_years(std::move(years));
  if (!built) return tl::unexpected(built.error());
  auto layered = std::shared_ptr<OfficialCalendar>(new OfficialCalendar(**built));
  layered->working_hours_ = working_hours_;
  layered->label_ = label;
  return std::shared_ptr<const OfficialCalendar>(std::move(layered));
}

std::string OfficialCalendar::version() const {
  if (years_.empty()) return "official (no notices)";
  sys_days latest{};
  for (const auto& y : years_) {
    for (const auto& n : y.notices) latest = std::max(latest, n.date);
  }
  return "official " + std::to_string(years_.front().year) + "-" + std::to_string(years_.back().year) + " (" +
         iso(latest) + ")" + (label_.empty() ? "" : " + " + label_);
}

Result<CalendarYear> read_calendar_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) return fail(ErrorCode::kNotFound, "Cannot read " + file.string());
  return parse_calendar_year(text.str(), file.string());
}

Result<std::vector<std::filesystem::path>> calendar_files(const std::filesystem::path& directory) {
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(directory, ec)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  if (ec) return fail(ErrorCode::kNotFound, "Cannot read the calendar directory " + directory.string() + ": " + ec.message());
  std::sort(files.begin(), files.end());
  return files;
}

Result<std::shared_ptr<const OfficialCalendar>> load_calendar_directory(const std::filesystem::path& directory) {
  auto files = calendar_files(directory);
  if (!files) return tl::unexpected(files.error());
  std::vector<CalendarYear> years;
  for (const auto& file : *files) {
    auto year = read_calendar_file(file);
    if (!year) return tl::unexpected(year.error());
    years.push_back(std::move(*year));
  }
  return OfficialCalendar::from_years(std::move(years));
}

Result<std::shared_ptr<const OfficialCalendar>> calendar_with_imports(const OfficialCalendar& base,
                                                                      const std::vector<CalendarImport>& imports,
                                                                      std::uint64_t up_to) {
  std::map<int, CalendarYear> years;  // a later import of a year replaces an earlier one
  for (const auto& import : imports) {
    if (import.version > up_to) break;
    auto year = parse_calendar_year(import.text, "calendar import " + std::to_string(import.version) + " (" +
                                                     import.source + ")");
    if (!year) return tl::unexpected(year.error());
    years[year->year] = std::move(*year);
  }
  std::vector<CalendarYear> list;
  for (auto& [_, year] : years) list.push_back(std::move(year));
  auto layered = base.with_years(std::move(list), "import " + std::to_string(up_to));
  if (!layered) {
    return fail(ErrorCode::kInvalidArgument,
                "calendar imports up to " + std::to_string(up_to) + ": " + layered.error().message);
  }
  return *layered;
}

std::shared_ptr<const OfficialCalendar> shipped_calendar() {
  static const auto calendar = [] {
    std::vector<CalendarYear> years;
    for (const auto& [source, text] : embedded::calendars()) {
      // The files are checked by the build's tests; a broken one is a build bug.
      if (auto year = parse_calendar_year(text, source)) years.push_back(std::move(*year));
    }
    auto built = OfficialCalendar::from_years(std::move(years));
    return built ? *built : nullptr;
  }();
  return calendar;
}

}  // namespace escalator

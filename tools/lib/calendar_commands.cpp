#include "calendar_commands.hpp"

#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include "calendar_import_command.hpp"
#include "command_line.hpp"
#include "escalator/calendar/official_calendar.hpp"

namespace escalator::tools {
namespace {

using namespace std::chrono;

constexpr const char* kCalendarWhat = R"(The official working-day calendar: the holidays and moved working days (调休) of the State
Council's notices, one file per year under calendars/ (docs/calendar.md). By default the
notices compiled into this escalator; --calendars DIR reads the *.json files of DIR instead,
and --data DIR takes the calendar in force in a store (with its imports).)";

constexpr const char* kDaysWhat = R"(Whether each day is a working day, and why.

One line per date from --from to --to (both included, at most 3660 days):
"YYYY-MM-DD workday" or "YYYY-MM-DD restday", then the holiday's name, "周末", or
"春节调休上班" for a moved working day. A year without a notice is counted Monday to Friday
and its days end in "provisional".)";

constexpr const char* kAddWhat = R"(The deadline a duration from TIME gives.

The deadline the engine would set for a duration counted from TIME (China Standard Time
unless TIME names its offset), by the counting rule of docs/calendar.md, in the working hours
of the configuration (default 09:00-12:00, 13:30-17:30); then "provisional" when a day it
counted over has no notice yet.)";

constexpr const char* kCheckWhat = R"(Checks calendar notice files.

Reads calendar files (or every *.json file of a directory) and prints what each holds, or
every problem with its file, line and date. Exits 1 on any problem.)";

constexpr const char* kImportWhat = R"(Adds a notice to a store and recomputes its running deadlines.

Adds a notice file to the store as its next calendar version, after checking it alone and
with the imports before it; a refused file changes nothing. Then recomputes the running
deadlines of the store's cases on the new calendar, each case whose deadlines move getting a
DeadlinesRecomputed event, and prints how many. The store must not be open elsewhere; a
running service takes the notice with --server, and carries the deadlines over while it goes
on. Exits 1 when the file is refused or a case was not recomputed.)";

constexpr const char* kImportsWhat = R"(Lists the store's calendar imports: version, when, file, year and notices.)";

std::optional<sys_days> date_arg(const std::string& text) {
  auto t = parse_time(text + "T00:00");
  if (!t || text.size() != 10) return std::nullopt;
  return floor<days>(*t + kChinaOffset);
}

std::string iso(sys_days day) { return format_time(Timestamp{day} - kChinaOffset).substr(0, 10); }

// Where a command reads the calendar from: a store, a directory of notice
// files, or (neither given) the notices compiled in.
struct CalendarSource {
  std::string data;
  std::string calendars;

  void add_to(CLI::App& app) {
    auto* in_store =
        app.add_option("--data", data, "take the calendar in force in this store, with its imports")->option_text("DIR");
    app.add_option("--calendars", calendars, "read the notice files (*.json) of this directory instead")
        ->option_text("DIR")
        ->excludes(in_store);
  }

  // The calendar, in the configured working hours; none (said on stderr) when
  // it cannot be read.
  std::shared_ptr<const OfficialCalendar> calendar(const Config& config) const {
    if (!data.empty()) {
      auto in_store = calendar_of_store(data, config);
      if (in_store) return *in_store;
      std::cerr << in_store.error().message << "\n";
      return nullptr;
    }
    if (!calendars.empty()) {
      auto loaded = load_calendar_directory(calendars);
      if (loaded) return (*loaded)->with_working_hours(config.working_hours);
      std::cerr << loaded.error().message << "\n";
      return nullptr;
    }
    return shipped_calendar()->with_working_hours(config.working_hours);
  }
};

// An option holding a date, YYYY-MM-DD, refused naming the option otherwise.
CLI::Option* add_date_option(CLI::App& app, const std::string& name, std::optional<sys_days>& day,
                             const std::string& what) {
  return app
      .add_option_function<std::string>(
          name,
          [&day, name](const std::string& text) {
            day = date_arg(text);
            if (!day) throw CLI::ValidationError(name, "expected a date like 2026-02-13, but got '" + text + "'");
          },
          what)
      ->option_text("DATE")
      ->required();
}

int days_command(const std::shared_ptr<const OfficialCalendar>& calendar, sys_days from, sys_days to, bool json,
                 std::ostream& out) {
  if (to < from || to - from > days{3660}) {
    return usage_error("escalator calendar days", "--to must be on or after --from, and at most 3660 days later");
  }
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (sys_days d = from; d <= to; d += days{1}) {
    const CalendarDay day = calendar->day(d);
    if (json) {
      list.push_back({{"date", iso(d)},
                       {"workday", day.working},
                       {"name", day.name.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(day.name)},
                       {"provisional", day.provisional}});
      continue;
    }
    out << iso(d) << (day.working ? " workday" : " restday");
    if (!day.name.empty()) out << " " << day.name;
    if (day.provisional) out << " provisional";
    out << "\n";
  }
  if (json) out << list.dump(2) << "\n";
  return 0;
}

int add_command(const OfficialCalendar& calendar, Timestamp from, Duration duration, std::ostream& out) {
  const Timestamp due = calendar.deadline(from, duration);
  if (due == Timestamp::max()) {
    out << "never\n";
    return 0;
  }
  out << format_time(due) << (calendar.provisional(from, due) ? " provisional" : "") << "\n";
  return 0;
}

int check_files(const std::vector<std::string>& args, std::ostream& out) {
  std::vector<CalendarYear> years;
  int problems = 0;
  const auto report = [&](const std::string& source, Result<CalendarYear> year) {
    if (!year) {
      out << year.error().message << "\n";
      ++problems;
      return;
    }
    out << source << ": " << year->year << ", " << year->holidays.size() << " holidays, "
        << year->working_days.size() << " moved working days; " << year->notices.front().title << "\n";
    years.push_back(std::move(*year));
  };
  for (const auto& arg : args) {
    std::error_code ec;
    if (std::filesystem::is_directory(arg, ec)) {
      auto files = calendar_files(arg);
      if (!files) {
        out << files.error().message << "\n";
        ++problems;
        continue;
      }
      for (const auto& file : *files) report(file.string(), read_calendar_file(file));
    } else {
      report(arg, read_calendar_file(arg));
    }
  }
  if (problems == 0) {
    if (auto together = OfficialCalendar::from_years(years); !together) {
      out << together.error().message << "\n";
      ++problems;
    }
  }
  out << (problems == 0 ? "ok\n" : "refused: the files above have problems\n");
  return problems == 0 ? 0 : 1;
}

}  // namespace

int calendar_command(const std::vector<std::string>& args, const Config& config, std::ostream& out) {
  auto app = command_app("escalator calendar", kCalendarWhat, "Exits 2 on bad arguments.");
  app->require_subcommand(1);

  auto* days_app = app->add_subcommand("days", kDaysWhat);
  CalendarSource days_source;
  std::optional<sys_days> from_day, to_day;
  bool json = false;
  add_date_option(*days_app, "--from", from_day, "the first date");
  add_date_option(*days_app, "--to", to_day, "the last date");
  add_json_flag(*days_app, json)->description("print an array of {\"date\",\"workday\",\"name\",\"provisional\"}");
  days_source.add_to(*days_app);

  auto* add_app = app->add_subcommand("add", kAddWhat);
  CalendarSource add_source;
  std::optional<Timestamp> from_time;
  std::optional<Duration> duration;
  add_app->add_option_function<std::string>(
             "TIME",
             [&from_time](const std::string& text) {
               auto t = parse_time(text);
               if (!t) throw CLI::ValidationError("TIME", t.error().message);
               from_time = *t;
             },
             "when counting starts (RFC 3339, e.g. 2025-11-11T16:00:00+08:00)")
      ->required();
  std::vector<CLI::Option*> units;
  for (const auto& [flag, unit, what] :
       {std::tuple{"--working-days", Duration::Unit::kWorkingDays, "working days"},
        std::tuple{"--working-hours", Duration::Unit::kWorkingHours, "working hours"},
        std::tuple{"--days", Duration::Unit::kDays, "calendar days"},
        std::tuple{"--hours", Duration::Unit::kHours, "hours on the clock"}}) {
    auto* option = add_app
                       ->add_option_function<std::int64_t>(
                           flag, [&duration, unit = unit](std::int64_t n) { duration = Duration{n, unit}; },
                           std::string("the duration, in ") + what + " (give one of the four)")
                       ->option_text("N")
                       ->check(whole_number(0, 999999));
    for (auto* other : units) option->excludes(other);
    units.push_back(option);
  }
  add_source.add_to(*add_app);
  add_config_option(*add_app);

  auto* check_app = app->add_subcommand("check", kCheckWhat);
  std::vector<std::string> files;
  check_app->add_option("FILE_OR_DIR", files, "calendar files, or directories of them")->required();

  auto* import_app = app->add_subcommand("import", kImportWhat);
  std::filesystem::path import_file;
  std::filesystem::path data;
  import_app->add_option("FILE", import_file, "a notice file (docs/calendar.md)")->required();
  auto* import_data = add_data_option(*import_app, data, config);
  std::string server;
  import_app
      ->add_option("--server", server,
                   "import into the running service at URL instead, which carries the running deadlines over "
                   "while it goes on taking commands (POST /v1/calendar/imports)")
      ->option_text("URL")
      ->excludes(import_data);

  auto* imports_app = app->add_subcommand("imports", kImportsWhat);
  bool imports_json = false;
  add_data_option(*imports_app, data, config);
  add_json_flag(*imports_app, imports_json);

  if (auto done = parse_command_line(*app, args, out)) return *done;
  if (days_app->parsed()) {
    const auto calendar = days_source.calendar(config);
    return calendar ? days_command(calendar, *from_day, *to_day, json, out) : 1;
  }
  if (add_app->parsed()) {
    if (!duration) {
      return usage_error("escalator calendar add",
                         "give the duration: --working-days, --working-hours, --days or --hours N");
    }
    const auto calendar = add_source.calendar(config);
    return calendar ? add_command(*calendar, *from_time, *duration, out) : 1;
  }
  if (check_app->parsed()) return check_files(files, out);
  if (import_app->parsed()) {
    if (!server.empty()) return calendar_import_through_service(import_file, server, out);
    return calendar_import_command(import_file, data, config, out);
  }
  return calendar_imports_command(data, imports_json, out);
}

}  // namespace escalator::tools

#include "calendar_commands.hpp"

#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include "calendar_import_command.hpp"
#include "escalator/calendar/official_calendar.hpp"

namespace escalator::tools {
namespace {

using namespace std::chrono;

constexpr const char* kHelp = R"(Usage: escalator calendar days --from DATE --to DATE [--json] [--calendars DIR | --data DIR]
       escalator calendar add TIME (--working-days N | --working-hours N | --days N | --hours N)
                              [--calendars DIR | --data DIR] [--config FILE]
       escalator calendar check FILE_OR_DIR...
       escalator calendar import FILE [--data DIR] [--config FILE]
       escalator calendar imports [--data DIR]

The official working-day calendar: the holidays and moved working days (调休) of the State
Council's notices, one file per year under calendars/ (docs/calendar.md). By default the
notices compiled into this escalator; --calendars DIR reads the *.json files of DIR instead,
and --data DIR takes the calendar in force in the store at DIR (with its imports).

  days   one line per date from --from to --to (both included, at most 3660 days):
         "YYYY-MM-DD workday" or "YYYY-MM-DD restday", then the holiday's name, "周末", or
         "春节调休上班" for a moved working day. A year without a notice is counted Monday to
         Friday and its days end in "provisional". --json prints an array of
         {"date","workday","name","provisional"}.
  add    the deadline the engine would set for a duration counted from TIME (China Standard
         Time unless TIME names its offset), by the counting rule of docs/calendar.md, in the
         working hours of --config FILE (default 09:00-12:00, 13:30-17:30); then "provisional"
         when a day it counted over has no notice yet.
  check  reads calendar files (or every *.json file of a directory) and prints what each holds,
         or every problem with its file, line and date. Exits 1 on any problem.
  import adds a notice file to the store at --data DIR (default: the configuration's
         data_dir) as its next calendar version, after checking it alone and with the
         imports before it; a refused file changes nothing. Then recomputes the running
         deadlines of the store's cases on the new calendar, each case whose deadlines
         move getting a DeadlinesRecomputed event, and prints how many. The store must not
         be open elsewhere. Exits 1 when the file is refused or a case was not recomputed.
  imports lists the store's calendar imports: version, when, file, year and notices.
)";

std::optional<sys_days> date_arg(const std::string& text) {
  auto t = parse_time(text + "T00:00");
  if (!t || text.size() != 10) return std::nullopt;
  return floor<days>(*t + kChinaOffset);
}

std::string iso(sys_days day) { return format_time(Timestamp{day} - kChinaOffset).substr(0, 10); }

// The calendar --calendars DIR names, or the shipped one, with the configured
// working hours; removes the flag from args.
std::shared_ptr<const OfficialCalendar> calendar_from(std::vector<std::string>& args, const Config& config) {
  for (std::size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] != "--data") continue;
    auto in_store = calendar_of_store(args[i + 1], config);
    args.erase(args.begin() + static_cast<long>(i), args.begin() + static_cast<long>(i) + 2);
    if (!in_store) {
      std::cerr << in_store.error().message << "\n";
      return nullptr;
    }
    return *in_store;
  }
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] != "--calendars") continue;
    if (i + 1 >= args.size()) {
      std::cerr << "--calendars: expected a directory\n";
      return nullptr;
    }
    auto loaded = load_calendar_directory(args[i + 1]);
    args.erase(args.begin() + static_cast<long>(i), args.begin() + static_cast<long>(i) + 2);
    if (!loaded) {
      std::cerr << loaded.error().message << "\n";
      return nullptr;
    }
    return (*loaded)->with_working_hours(config.working_hours);
  }
  return shipped_calendar()->with_working_hours(config.working_hours);
}

int days_command(std::vector<std::string> args, const Config& config, std::ostream& out) {
  const auto calendar = calendar_from(args, config);
  if (!calendar) return 1;
  std::optional<sys_days> from, to;
  bool json = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--json") {
      json = true;
    } else if ((args[i] == "--from" || args[i] == "--to") && i + 1 < args.size()) {
      const auto day = date_arg(args[i + 1]);
      if (!day) {
        std::cerr << args[i] << ": expected a date like 2026-02-13, but got '" << args[i + 1] << "'\n";
        return 2;
      }
      (args[i] == "--from" ? from : to) = day;
      ++i;
    } else {
      std::cerr << "calendar days: unexpected '" << args[i] << "'\n\n" << kHelp;
      return 2;
    }
  }
  if (!from || !to) {
    std::cerr << "calendar days: --from and --to are required\n\n" << kHelp;
    return 2;
  }
  if (*to < *from || *to - *from > days{3660}) {
    std::cerr << "calendar days: --to must be on or after --from, and at most 3660 days later\n";
    return 2;
  }
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (sys_days d = *from; d <= *to; d += days{1}) {
    const CalendarDay day = calendar->day(d);
    if (json) {
      list.push_back({{"date", iso(d)}, {"workday", day.working}, {"name", day.name}, {"provisional", day.provisional}});
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

int add_command(std::vector<std::string> args, const Config& config, std::ostream& out) {
  const auto calendar = calendar_from(args, config);
  if (!calendar) return 1;
  std::optional<Timestamp> from;
  std::optional<Duration> duration;
  for (std::size_t i = 0; i < args.size(); ++i) {
    static const std::vector<std::pair<std::string, Duration::Unit>> kUnits{
        {"--working-days", Duration::Unit::kWorkingDays},
        {"--working-hours", Duration::Unit::kWorkingHours},
        {"--days", Duration::Unit::kDays},
        {"--hours", Duration::Unit::kHours}};
    const auto unit = std::find_if(kUnits.begin(), kUnits.end(), [&](const auto& u) { return u.first == args[i]; });
    if (unit != kUnits.end()) {
      if (duration || i + 1 >= args.size() || args[i + 1].empty() ||
          args[i + 1].find_first_not_of("0123456789") != std::string::npos || args[i + 1].size() > 6) {
        std::cerr << "calendar add: give one duration, a whole number like --working-days 3\n";
        return 2;
      }
      duration = Duration{std::stoll(args[i + 1]), unit->second};
      ++i;
    } else if (!from) {
      auto t = parse_time(args[i]);
      if (!t) {
        std::cerr << "calendar add: " << t.error().message << "\n";
        return 2;
      }
      from = *t;
    } else {
      std::cerr << "calendar add: unexpected '" << args[i] << "'\n\n" << kHelp;
      return 2;
    }
  }
  if (!from || !duration) {
    std::cerr << "calendar add: a TIME and a duration are required\n\n" << kHelp;
    return 2;
  }
  const Timestamp due = calendar->deadline(*from, *duration);
  if (due == Timestamp::max()) {
    out << "never\n";
    return 0;
  }
  out << format_time(due) << (calendar->provisional(*from, due) ? " provisional" : "") << "\n";
  return 0;
}

int check_files(const std::vector<std::string>& args, std::ostream& out) {
  if (args.empty()) {
    std::cerr << kHelp;
    return 2;
  }
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
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    out << kHelp;
    return args.empty() ? 2 : 0;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  for (const auto& a : rest) {
    if (a == "--help" || a == "-h") {
      out << kHelp;
      return 0;
    }
  }
  if (args[0] == "days") return days_command(rest, config, out);
  if (args[0] == "add") return add_command(rest, config, out);
  if (args[0] == "check") return check_files(rest, out);
  if (args[0] == "import") return calendar_import_command(rest, config, out);
  if (args[0] == "imports") return calendar_imports_command(rest, config, out);
  std::cerr << "calendar: unknown subcommand '" << args[0] << "'\n\n" << kHelp;
  return 2;
}

}  // namespace escalator::tools

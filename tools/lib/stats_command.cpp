#include "stats_command.hpp"

#include <algorithm>
#include <cstdio>
#include <iostream>

#include "escalator/store/calendar_in_force.hpp"
#include "command_line.hpp"
#include "escalator/calendar/official_calendar.hpp"
#include "escalator/store/report_formats.hpp"
#include "escalator/store/stats_report.hpp"
#include "new_store.hpp"
#include "terminal_progress.hpp"
#include "text_table.hpp"

namespace escalator::tools {
namespace {

constexpr const char* kStatsWhat = R"(The figures supervisors report (docs/stats.md), per group over the days from and to, both
included (China Standard Time), from the store's counters: a year's report reads a dozen
cells per group. Groups are made by --by; the rates follow the configuration's "stats"
formulas.

Text shows the main figures of each group and the total; --figures chooses them. --json and
--csv give every figure: counts, rates as fractions, times in hours (null or empty when a
rate has no denominator or no time was counted).

--recompute counts every stored case's events afresh and replaces the counters with the
result (an engine also does this when it opens a store counted otherwise). --list COUNT
prints the cases behind a count in one group (--group; with --by all, the only group) and
their part in it, by counting every case's events afresh: any count, repeat_calls (with the
configured window) and open_overdue (the cases late and open on the last day) among them.)";

constexpr std::string_view kMainFigures[] = {"received",           "handed",          "signed_in_time_rate",
                                             "closed",             "resolution_rate", "satisfaction_rate",
                                             "on_time_close_rate", "reopened",        "overdue",
                                             "open_overdue",       "share"};

// The figures named (the main ones when none is), each known: the parser
// checked them against figure_names().
std::vector<stats::Figure> chosen_figures(const std::vector<std::string>& names) {
  const auto& all = stats::figures();
  std::vector<std::string_view> wanted(std::begin(kMainFigures), std::end(kMainFigures));
  if (!names.empty()) wanted.assign(names.begin(), names.end());
  std::vector<stats::Figure> chosen;
  for (auto name : wanted) {
    auto found = std::find_if(all.begin(), all.end(), [&](const stats::Figure& f) { return f.name == name; });
    if (found != all.end()) chosen.push_back(*found);
  }
  return chosen;
}

std::vector<std::string> figure_names() {
  std::vector<std::string> names;
  for (const auto& f : stats::figures()) names.emplace_back(f.name);
  return names;
}

// The counts whose cases --list can name.
// An option holding a day, YYYY-MM-DD, refused naming the option otherwise.
CLI::Option* add_day_option(CLI::App& app, const std::string& name, std::chrono::sys_days& day,
                            const std::string& what) {
  return app
      .add_option_function<std::string>(
          name,
          [&day, name](const std::string& text) {
            auto parsed = stats::parse_day(text);
            if (!parsed) throw CLI::ValidationError(name, parsed.error().message);
            day = *parsed;
          },
          what)
      ->option_text("DAY")
      ->required();
}

std::string shown(const stats::Figure& figure, std::optional<double> value) {
  if (!value) return "-";
  char text[32];
  switch (figure.kind) {
    case stats::Figure::Kind::kCount:
    case stats::Figure::Kind::kDerivedCount: std::snprintf(text, sizeof text, "%.0f", *value); break;
    case stats::Figure::Kind::kRate: std::snprintf(text, sizeof text, "%.1f%%", *value * 100.0); break;
    case stats::Figure::Kind::kHours:
    case stats::Figure::Kind::kAverage: std::snprintf(text, sizeof text, "%.1f", *value); break;
  }
  return text;
}

// What a report groups by, as a Chinese heading names it.
std::string_view dimension_zh(stats::Dimension by) {
  switch (by) {
    case stats::Dimension::kAll: return "全部";
    case stats::Dimension::kUnit: return "单位";
    case stats::Dimension::kLevel: return "层级";
    case stats::Dimension::kCategory: return "类别";
    case stats::Dimension::kChannel: return "渠道";
    case stats::Dimension::kRequestType: return "诉求类型";
    case stats::Dimension::kGrid: return "网格";
    case stats::Dimension::kStreet: return "街道";
    case stats::Dimension::kMeeting: return "会议";
  }
  return "";
}

// A group as people read it: a unit's or a place's name after its id.
std::string group_label(const std::string& name, stats::Dimension by, const OrgChart* directory) {
  if (name.empty()) return "(无)";
  if (directory == nullptr) return name;
  if (by == stats::Dimension::kUnit) {
    if (const OrgUnit* unit = directory->unit(name)) return name + " " + unit->name;
  } else if (by == stats::Dimension::kGrid || by == stats::Dimension::kStreet) {
    if (const OrgPlace* place = directory->place(name, SystemClock().now())) return name + " " + place->name;
  }
  return name;
}

void print_text(const stats::Report& report, const std::vector<stats::Figure>& figures,
                const stats::Formulas& formulas, const OrgChart* directory, std::ostream& out) {
  out << "统计 " << stats::format_day(report.query.from) << " 至 " << stats::format_day(report.query.to) << "，按"
      << dimension_zh(report.query.by) << "\n";
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header{"分组"};
  for (const auto& f : figures) header.emplace_back(f.zh);
  rows.push_back(header);
  auto row_of = [&](const std::string& name, const stats::Tally& tally) {
    std::vector<std::string> row{name};
    for (const auto& f : figures) row.push_back(shown(f, stats::value_of(f, tally, report.total, formulas)));
    rows.push_back(std::move(row));
  };
  if (report.query.by != stats::Dimension::kAll) {
    for (const auto& g : report.groups) row_of(group_label(g.name, report.query.by, directory), g.tally);
  }
  row_of("合计", report.total);
  TextTable table;
  for (auto& row : rows) table.add_row(std::move(row));
  table.print(out);
}

}  // namespace

int stats_command(const std::vector<std::string>& args, const Config& config, std::ostream& out) {
  auto app = command_app("escalator stats", kStatsWhat,
                         "Exits 1 when the store cannot give its figures, 2 on bad arguments.");
  std::filesystem::path data;
  stats::Query query;
  std::string by = "all";
  std::vector<std::string> figure_list;
  bool json = false;
  bool csv = false;
  bool recompute = false;
  std::string list;
  std::optional<std::string> group;
  add_data_option(*app, data, config);
  add_day_option(*app, "--from", query.from, "the first day, YYYY-MM-DD");
  add_day_option(*app, "--to", query.to, "the last day, YYYY-MM-DD");
  app->add_option("--by", by, "what each row is")
      ->option_text("DIMENSION")
      ->check(CLI::IsMember(stats::report_dimension_names()))
      ->capture_default_str();
  auto* figures_option = app->add_option("--figures", figure_list, "the figures text shows (default: the main ones)")
                             ->option_text("NAME,...")
                             ->delimiter(',')
                             ->check(CLI::IsMember(figure_names()));
  auto* json_flag = add_json_flag(*app, json)->description("every figure as JSON");
  auto* csv_flag = app->add_flag("--csv", csv, "every figure as CSV for a spreadsheet");
  json_flag->excludes(csv_flag);
  auto* recompute_flag = app->add_flag("--recompute", recompute, "count every case's events afresh first");
  auto* list_option = app->add_option("--list", list, "print the cases behind this count")
                          ->option_text("COUNT")
                          ->check(CLI::IsMember(stats::listed_count_names()));
  app->add_option("--group", group, "the group whose cases --list prints, as the report names it")
      ->option_text("NAME")
      ->needs(list_option);
  for (auto* output : {figures_option, json_flag, csv_flag, recompute_flag}) list_option->excludes(output);
  if (auto done = parse_command_line(*app, args, out)) return *done;
  // A usage error is 2; a store that cannot give its figures, 1.
  auto refuse = [](const std::string& why) { return usage_error("escalator stats", why); };
  auto failed = [](const std::string& why) {
    std::cerr << why << "\n";
    return 1;
  };
  query.by = *stats::parse_dimension(by);
  if (query.to < query.from) return refuse("--to: the period ends before it begins");
  if (!list.empty() && query.by != stats::Dimension::kAll && !group) {
    return refuse("--group: name the group of --by " + by + " whose cases --list " + list + " prints");
  }
  const auto figures = chosen_figures(figure_list);
  std::optional<stats::Figure> listed;
  if (!list.empty()) {
    const auto& all = stats::figures();
    listed = *std::find_if(all.begin(), all.end(), [&](const stats::Figure& f) { return f.name == list; });
  }

  // Reading only, it reads beside a running service; a recount replaces the counters.
  auto store = recompute ? open_existing_store(data) : open_store_to_read(data);
  if (!store) return failed(store.error().message);
  auto calendars = calendars_in_force(shipped_calendar()->with_working_hours(config.working_hours), **store);
  if (!calendars) return failed(calendars.error().message);
  const Calendar& calendar = *calendars->current;

  if (listed) {
    auto shares = stats::cases_behind(**store, query, group.value_or(""), *listed, config.stats);
    if (!shares) return failed(shares.error().message);
    std::int64_t total = 0;
    for (const auto& share : *shares) {
      out << share.case_id << "  " << share.count << "\n";
      total += share.count;
    }
    out << listed->name << " = " << total << " from " << count_of(shares->size(), "case", "cases") << "\n";
    return 0;
  }

  if (recompute) {
    TerminalProgress progress("recount");
    if (auto replaced = stats::recount_into(**store, calendar, progress.callback()); !replaced) {
      return failed(replaced.error().message);
    }
    std::cerr << "counters recounted from the events of " << (*store)->case_ids().size() << " cases\n";
  } else if (auto counted = stats::bring_counters_up_to_date(**store, calendar); !counted) {
    return failed(counted.error().message);
  } else if (*counted) {
    std::cerr << "the counters were counted otherwise; recounted from the events\n";
  }
  auto report = stats::read_report(**store, query);
  if (!report) return failed(report.error().message);
  if (json) {
    out << stats::report_json(*report, config.stats, 2) << "\n";
  } else if (csv) {
    out << stats::report_csv(*report, config.stats);
  } else {
    auto directory = directory_of_store(**store);
    print_text(*report, figures, config.stats, directory ? directory->get() : nullptr, out);
  }
  return 0;
}

}  // namespace escalator::tools

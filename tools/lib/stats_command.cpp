#include "escalator/util/csv_cell.hpp"
#include "stats_command.hpp"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "escalator/store/calendar_in_force.hpp"
#include "cli_options.hpp"
#include "escalator/calendar/official_calendar.hpp"
#include "escalator/store/stats_report.hpp"
#include "new_store.hpp"

namespace escalator::tools {
namespace {

constexpr const char* kHelp = R"(Usage: escalator stats [--data DIR] --from DAY --to DAY [--by DIMENSION]
                       [--figures NAME,NAME,...] [--json | --csv] [--recompute]
       escalator stats [--data DIR] --from DAY --to DAY [--by DIMENSION] --list COUNT [--group NAME]

The figures supervisors report (docs/stats.md), per group over the days from and to, both
included (YYYY-MM-DD, China Standard Time), from the store's counters: a year's report reads
a dozen cells per group. DIMENSION is all (the default), unit, level (the workflow step:
property, branch, grid, community, street, district, council), category, channel,
request-type, grid or street. The rates follow the configuration's "stats" formulas.

Text shows the main figures of each group and the total; --figures chooses them. --json and
--csv give every figure: counts, rates as fractions, times in hours (null or empty when a
rate has no denominator or no time was counted).

--recompute counts every stored case's events afresh and replaces the counters with the
result (an engine also does this when it opens a store counted otherwise). --list COUNT
prints the cases behind a count in the group (--group, "" by default) and their part in it,
by counting every case's events afresh: any count, repeat_calls (with the configured window)
and open_overdue (the cases late and open on the last day) among them.

--data DIR is the store (default: the configuration's data_dir, ./data).
)";

constexpr std::string_view kMainFigures[] = {"received",           "handed",          "signed_in_time_rate",
                                             "closed",             "resolution_rate", "satisfaction_rate",
                                             "on_time_close_rate", "reopened",        "overdue",
                                             "open_overdue",       "share"};

// The switches, taken out of args.
bool take_switch(std::vector<std::string>& args, std::string_view name) {
  auto at = std::find(args.begin(), args.end(), name);
  if (at == args.end()) return false;
  args.erase(at);
  return true;
}

std::vector<stats::Figure> chosen_figures(const std::string& names, std::string& unknown) {
  const auto& all = stats::figures();
  std::vector<std::string_view> wanted(std::begin(kMainFigures), std::end(kMainFigures));
  std::vector<std::string> parts;
  if (!names.empty()) {
    std::stringstream list(names);
    for (std::string part; std::getline(list, part, ',');) parts.push_back(part);
    wanted.assign(parts.begin(), parts.end());
  }
  std::vector<stats::Figure> chosen;
  for (auto name : wanted) {
    auto found = std::find_if(all.begin(), all.end(), [&](const stats::Figure& f) { return f.name == name; });
    if (found == all.end()) {
      unknown = std::string(name);
      return {};
    }
    chosen.push_back(*found);
  }
  return chosen;
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

nlohmann::ordered_json json_value(std::optional<double> value, const stats::Figure& figure) {
  if (!value) return nullptr;
  if (figure.kind == stats::Figure::Kind::kCount || figure.kind == stats::Figure::Kind::kDerivedCount) {
    return static_cast<std::int64_t>(*value);
  }
  return *value;
}

std::string group_label(const std::string& name) { return name.empty() ? "(无)" : name; }

void print_text(const stats::Report& report, const std::vector<stats::Figure>& figures,
                const stats::Formulas& formulas, std::ostream& out) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header{"group"};
  for (const auto& f : figures) header.emplace_back(f.name);
  rows.push_back(header);
  auto row_of = [&](const std::string& name, const stats::Tally& tally) {
    std::vector<std::string> row{name};
    for (const auto& f : figures) row.push_back(shown(f, stats::value_of(f, tally, report.total, formulas)));
    rows.push_back(std::move(row));
  };
  if (report.query.by != stats::Dimension::kAll) {
    for (const auto& g : report.groups) row_of(group_label(g.name), g.tally);
  }
  row_of("合计", report.total);
  // Columns on a terminal: a character of three UTF-8 bytes (Chinese) takes two.
  auto width = [](const std::string& s) {
    std::size_t columns = 0;
    for (unsigned char c : s) {
      if ((c & 0xc0) != 0x80) columns += (c & 0xf0) == 0xe0 ? 2 : 1;
    }
    return columns;
  };
  std::vector<std::size_t> widths(header.size(), 0);
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], width(row[i]));
  }
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      const std::string pad(widths[i] - width(row[i]), ' ');
      line += i == 0 ? row[i] + pad : "  " + pad + row[i];
    }
    out << line << "\n";
  }
}

void print_json(const stats::Report& report, const stats::Formulas& formulas, std::ostream& out) {
  auto figures_of = [&](const stats::Tally& tally) {
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    for (const auto& f : stats::figures()) j[std::string(f.name)] = json_value(stats::value_of(f, tally, report.total, formulas), f);
    return j;
  };
  nlohmann::ordered_json j;
  j["from"] = stats::format_day(report.query.from);
  j["to"] = stats::format_day(report.query.to);
  j["by"] = std::string(to_string(report.query.by));
  j["groups"] = nlohmann::ordered_json::array();
  if (report.query.by != stats::Dimension::kAll) {
    for (const auto& g : report.groups) j["groups"].push_back({{"group", g.name}, {"figures", figures_of(g.tally)}});
  }
  j["total"] = figures_of(report.total);
  out << j.dump(2) << "\n";
}

void print_csv(const stats::Report& report, const stats::Formulas& formulas, std::ostream& out) {
  out << "group";
  for (const auto& f : stats::figures()) out << "," << f.name;
  out << "\n";
  auto row_of = [&](const std::string& name, const stats::Tally& tally) {
    out << csv_cell(name);
    for (const auto& f : stats::figures()) {
      out << ",";
      if (auto value = stats::value_of(f, tally, report.total, formulas)) {
        std::ostringstream number;
        number.precision(10);
        number << *value;
        out << number.str();
      }
    }
    out << "\n";
  };
  if (report.query.by != stats::Dimension::kAll) {
    for (const auto& g : report.groups) row_of(g.name, g.tally);
  }
  row_of("合计", report.total);
}

}  // namespace

int stats_command(const std::vector<std::string>& given, const Config& config, std::ostream& out) {
  if (wants_help(given)) {
    std::cout << kHelp;
    return 0;
  }
  std::vector<std::string> args = given;
  const bool json = take_switch(args, "--json");
  const bool csv = take_switch(args, "--csv");
  const bool recompute = take_switch(args, "--recompute");
  const auto options =
      options_of(args, {"--data", "--from", "--to", "--by", "--figures", "--list", "--group"}, kHelp);
  if (!options) return 2;
  // A usage error is 2; a store that cannot give its figures, 1.
  auto refuse = [](const std::string& why) {
    std::cerr << why << "\n";
    return 2;
  };
  auto failed = [](const std::string& why) {
    std::cerr << why << "\n";
    return 1;
  };
  if (json && csv) return refuse("--json and --csv: choose one");
  if (!options->contains("--from") || !options->contains("--to")) return refuse("--from and --to: both required");
  stats::Query query;
  for (const char* flag : {"--from", "--to"}) {
    auto day = stats::parse_day(options->at(flag));
    if (!day) return refuse(std::string(flag) + ": " + day.error().message);
    (std::string_view(flag) == "--from" ? query.from : query.to) = *day;
  }
  if (options->contains("--by")) {
    auto by = stats::parse_dimension(options->at("--by"));
    if (!by) return refuse("--by: " + by.error().message);
    query.by = *by;
  }
  if (query.to < query.from) return refuse("--to: the period ends before it begins");
  std::string unknown;
  const auto figures = chosen_figures(options->contains("--figures") ? options->at("--figures") : "", unknown);
  if (!unknown.empty()) return refuse("--figures: no figure '" + unknown + "'");

  std::optional<stats::Figure> listed;
  if (options->contains("--list")) {
    const auto& all = stats::figures();
    const auto& name = options->at("--list");
    auto found = std::find_if(all.begin(), all.end(), [&](const stats::Figure& f) { return f.name == name; });
    if (found == all.end() || found->name == "meetings" ||
        (found->kind != stats::Figure::Kind::kCount && found->kind != stats::Figure::Kind::kDerivedCount)) {
      return refuse("--list: '" + name + "' is not a count (docs/stats.md lists them)");
    }
    listed = *found;
  }

  const std::string data = options->contains("--data") ? options->at("--data") : config.data_dir.string();
  auto store = open_existing_store(data);
  if (!store) return failed(store.error().message);
  auto calendars = calendars_in_force(shipped_calendar()->with_working_hours(config.working_hours), **store);
  if (!calendars) return failed(calendars.error().message);
  const Calendar& calendar = *calendars->current;

  if (listed) {
    const std::string group = options->contains("--group") ? options->at("--group") : "";
    auto shares = stats::cases_behind(**store, calendar, query, group, *listed, config.stats);
    if (!shares) return failed(shares.error().message);
    std::int64_t total = 0;
    for (const auto& share : *shares) {
      out << share.case_id << "  " << share.count << "\n";
      total += share.count;
    }
    out << listed->name << " = " << total << " from " << shares->size() << (shares->size() == 1 ? " case\n" : " cases\n");
    return 0;
  }

  if (recompute) {
    auto cells = stats::recount(**store, calendar);
    if (!cells) return failed(cells.error().message);
    if (auto replaced = (*store)->replace_stats(*cells, stats::stamp_of(calendar)); !replaced) {
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
    print_json(*report, config.stats, out);
  } else if (csv) {
    print_csv(*report, config.stats, out);
  } else {
    out << "统计 " << stats::format_day(query.from) << " 至 " << stats::format_day(query.to) << "，按 "
        << to_string(query.by) << "\n";
    print_text(*report, figures, config.stats, out);
  }
  return 0;
}

}  // namespace escalator::tools

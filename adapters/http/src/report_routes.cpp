// GET /v1/stats: the report `escalator stats` gives, from the counters; and
// GET /v1/stats/cases: the cases behind one of its counts.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "escalator/access/jurisdiction.hpp"
#include "escalator/store/report_formats.hpp"
#include "escalator/util/csv_cell.hpp"
#include "problem.hpp"
#include "routes.hpp"

namespace escalator::http {
namespace {

// The problem names the parameter; `engine_words` are the engine's, when it refused.
Problem bad_parameter(const std::string& name, const std::string& why, const std::string& engine_words = {}) {
  Problem problem{ProblemKind::kBadQuery, "查询参数 " + name + "：" + why};
  if (!engine_words.empty()) problem.engine_detail = name + ": " + engine_words;
  return problem;
}

std::string dimension_names() {
  std::string names;
  for (const auto& name : stats::report_dimension_names()) names += (names.empty() ? "" : ", ") + name;
  return names;
}

std::optional<Problem> day_of(const Query& query, const std::string& name, std::chrono::sys_days& day) {
  const auto found = query.find(name);
  if (found == query.end()) {
    return bad_parameter(name, name == "from" ? "必填：统计期的第一天，如 2025-11-01"
                                              : "必填：统计期的最后一天（含），如 2025-11-30");
  }
  auto parsed = stats::parse_day(found->second);
  if (!parsed) return bad_parameter(name, "应为日期 YYYY-MM-DD，实际为 " + found->second, parsed.error().message);
  day = *parsed;
  return std::nullopt;
}

// Whether the client asked for CSV: format=csv, or else an Accept header
// that names text/csv before (or without) JSON.
bool wants_csv(const Query& query, const Request& request) {
  if (const auto format = query.find("format"); format != query.end()) return format->second == "csv";
  const auto accept = request.header("accept");
  const auto csv = accept.find("text/csv");
  return csv != std::string_view::npos && csv < accept.find("application/json");
}

// The period and grouping both routes read: from, to and by.
std::optional<Problem> period_of(const Query& query, stats::Query& asked) {
  if (auto problem = day_of(query, "from", asked.from)) return problem;
  if (auto problem = day_of(query, "to", asked.to)) return problem;
  if (asked.to < asked.from) return bad_parameter("to", "统计期的最后一天早于第一天");
  if (const auto by = query.find("by"); by != query.end()) {
    const auto names = stats::report_dimension_names();
    if (std::find(names.begin(), names.end(), by->second) == names.end()) {
      return bad_parameter("by", "应为 " + dimension_names() + " 之一，实际为 " + by->second);
    }
    asked.by = *stats::parse_dimension(by->second);
  }
  if (const auto format = query.find("format"); format != query.end() && format->second != "csv" && format->second != "json") {
    return bad_parameter("format", "应为 json 或 csv，实际为 " + format->second);
  }
  return std::nullopt;
}

// For a key bounded to a place (docs/access.md, "Reports"): whether the
// report's groups can be told in or out of its jurisdiction (by street, grid
// or unit), and the problem naming `by` when they cannot.
std::optional<Problem> bounded_grouping(stats::Dimension by) {
  if (by == stats::Dimension::kStreet || by == stats::Dimension::kGrid || by == stats::Dimension::kUnit) return std::nullopt;
  Problem problem{ProblemKind::kForbidden, "查询参数 by：按 " + std::string(to_string(by)) +
                                               " 分组的报表含本密钥辖区外的案件；辖区内的报表按 street、grid 或 unit 分组"};
  return problem;
}

// Whether the group `name` of a report by `by` lies within `place`.
bool group_within(const OrgDirectory& directory, stats::Dimension by, const std::string& name, const std::string& place,
                  Timestamp now) {
  if (by == stats::Dimension::kUnit) return access::unit_lies_within(directory, name, place, now);
  return access::place_lies_within(directory, name, place, now);
}

constexpr std::size_t kCasesPerPage = 100, kMostCasesPerPage = 1000;

// What a listed case is, beside its part in the count: enough to tell the
// cases apart in a table; GET /v1/cases/{id} gives the rest.
struct ListedCase {
  const stats::CaseShare& share;
  std::optional<CaseState> state;  // none for a case that can no longer be read
};

std::string listed_json(const ListedCase& listed) {
  nlohmann::ordered_json row;
  row["case_id"] = listed.share.case_id;
  row["count"] = listed.share.count;
  if (const auto& k = listed.state) {
    row["state"] = std::string(to_string(k->state));
    row["category"] = k->category;
    row["channel"] = std::string(to_string(k->channel));
    row["step"] = k->step_id;
    row["lead_unit"] = k->lead_unit;
    row["opened_at"] = format_time(k->opened_at);
  }
  return row.dump();
}

std::string listed_csv_row(const ListedCase& listed) {
  std::string row = csv_cell(listed.share.case_id) + "," + std::to_string(listed.share.count);
  if (const auto& k = listed.state) {
    for (const std::string& cell : {std::string(to_string(k->state)), k->category, std::string(to_string(k->channel)),
                                    k->step_id, k->lead_unit, format_time(k->opened_at)}) {
      row += "," + csv_cell(cell);
    }
  } else {
    row += ",,,,,,";
  }
  return row + "\r\n";
}

}  // namespace

void Routes::read_cases_behind(const Query& query, const Request& request, const Caller& caller, Respond respond) {
  stats::Query asked;
  if (auto problem = period_of(query, asked)) return respond(problem_response(*problem));
  const auto now = engine_.clock().now();
  const auto directory = engine_.directory();
  const auto bound = caller.key ? access::report_place(*caller.key, *directory, now) : std::nullopt;
  if (bound) {
    if (auto problem = bounded_grouping(asked.by)) return respond(problem_response(*problem));
    const auto group = query.find("group");
    if (group != query.end() && !group_within(*directory, asked.by, group->second, *bound, now)) {
      return respond(problem_response({ProblemKind::kForbidden, "查询参数 group：" + group->second + " 不在本密钥的辖区内"}));
    }
  }
  const auto count = query.find("count");
  const auto names = stats::listed_count_names();
  if (count == query.end() || std::find(names.begin(), names.end(), count->second) == names.end()) {
    std::string listed;
    for (const auto& name : names) listed += (listed.empty() ? "" : ", ") + name;
    return respond(problem_response(bad_parameter(
        "count", count == query.end() ? "必填：要列出哪个数的案件，" + listed + " 之一"
                                      : "应为 " + listed + " 之一，实际为 " + count->second)));
  }
  const auto group = query.find("group");
  if (asked.by == stats::Dimension::kAll && group != query.end() && !group->second.empty()) {
    return respond(problem_response(bad_parameter("group", "by=all 只有一组（全部案件），不带 group")));
  }
  if (asked.by != stats::Dimension::kAll && group == query.end()) {
    return respond(problem_response(
        bad_parameter("group", "必填：按 " + std::string(to_string(asked.by)) + " 分组时，要列出哪一组的案件")));
  }
  std::size_t limit = kCasesPerPage;
  if (const auto asked_limit = query.find("limit"); asked_limit != query.end()) {
    const auto& text = asked_limit->second;
    const bool digits = !text.empty() && text.size() <= 4 &&
                        std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
    limit = digits ? std::stoul(text) : 0;
    if (limit < 1 || limit > kMostCasesPerPage) {
      return respond(problem_response(
          bad_parameter("limit", "应为 1 至 " + std::to_string(kMostCasesPerPage) + " 的整数，实际为 " + text)));
    }
  }
  const std::string cursor = query.contains("cursor") ? query.find("cursor")->second : std::string();
  const auto& all = stats::figures();
  const auto figure = std::find_if(all.begin(), all.end(), [&](const stats::Figure& f) { return f.name == count->second; });
  const std::string group_name = group == query.end() ? std::string() : group->second;
  auto shares = engine_.cases_behind(asked, group_name, *figure);
  if (!shares) return respond(problem_response(engine_problem(shares.error())));

  std::int64_t total = 0;
  for (const auto& share : *shares) total += share.count;
  // By case id, after the cursor: the page, and whether more follow it.
  const auto first = std::upper_bound(shares->begin(), shares->end(), cursor,
                                      [](const std::string& c, const stats::CaseShare& s) { return c < s.case_id; });
  const auto end = first + std::min<std::ptrdiff_t>(static_cast<std::ptrdiff_t>(limit), shares->end() - first);
  std::vector<ListedCase> page;
  for (auto at = first; at != end; ++at) {
    auto state = engine_.get(at->case_id);
    page.push_back({*at, state ? std::optional(std::move(*state)) : std::nullopt});
  }
  const std::string next = end == shares->end() || page.empty() ? std::string() : page.back().share.case_id;

  Response response;
  if (wants_csv(query, request)) {
    response.content_type = "text/csv; charset=utf-8";
    response.body = "\xEF\xBB\xBF" "case_id,count,state,category,channel,step,lead_unit,opened_at\r\n";
    for (const auto& listed : page) response.body += listed_csv_row(listed);
    response.headers.emplace_back("Content-Disposition",
                                  "attachment; filename=\"cases-" + count->second + "-" + stats::format_day(asked.from) +
                                      "-" + stats::format_day(asked.to) + "-" + std::string(to_string(asked.by)) +
                                      ".csv\"");
    // The next page's cursor, where JSON has next_cursor.
    if (!next.empty()) response.headers.emplace_back("X-Next-Cursor", next);
  } else {
    nlohmann::ordered_json head;
    head["count"] = count->second;
    head["zh"] = std::string(figure->zh);
    head["from"] = stats::format_day(asked.from);
    head["to"] = stats::format_day(asked.to);
    head["by"] = std::string(to_string(asked.by));
    head["group"] = group_name;
    head["total"] = total;
    head["cases_total"] = shares->size();
    std::string body = head.dump();
    body.pop_back();
    body += ",\"cases\":[";
    for (std::size_t i = 0; i < page.size(); ++i) body += (i ? "," : "") + listed_json(page[i]);
    body += "],\"next_cursor\":" + (next.empty() ? std::string("null") : nlohmann::json(next).dump()) + "}";
    response.body = std::move(body);
  }
  response.headers.emplace_back("Vary", "Accept");
  respond(std::move(response));
}

void Routes::read_stats(const Query& query, const Request& request, const Caller& caller, Respond respond) {
  stats::Query asked;
  if (auto problem = period_of(query, asked)) return respond(problem_response(*problem));
  const auto now = engine_.clock().now();
  const auto directory = engine_.directory();
  const auto bound = caller.key ? access::report_place(*caller.key, *directory, now) : std::nullopt;
  if (bound) {
    if (auto problem = bounded_grouping(asked.by)) return respond(problem_response(*problem));
  }
  auto report = engine_.report(asked);
  if (!report) return respond(problem_response(engine_problem(report.error())));
  if (bound) {
    // Only the groups within the jurisdiction, and their sum as the total.
    std::erase_if(report->groups, [&](const stats::Group& g) { return !group_within(*directory, asked.by, g.name, *bound, now); });
    report->total = {};
    for (const auto& g : report->groups) report->total.add(g.tally);
  }
  const auto& formulas = engine_.config().stats;
  Response response;
  if (wants_csv(query, request)) {
    response.content_type = "text/csv; charset=utf-8";
    response.body = stats::report_csv(*report, formulas);
    // A browser saves it under a name that says what it holds.
    response.headers.emplace_back("Content-Disposition", "attachment; filename=\"stats-" +
                                                             stats::format_day(asked.from) + "-" +
                                                             stats::format_day(asked.to) + "-" +
                                                             std::string(to_string(asked.by)) + ".csv\"");
  } else {
    response.body = stats::report_json(*report, formulas);
  }
  response.headers.emplace_back("Vary", "Accept");
  respond(std::move(response));
}

}  // namespace escalator::http

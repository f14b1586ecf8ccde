// GET /v1/stats: the report `escalator stats` gives, from the counters.
#include <algorithm>

#include "escalator/store/report_formats.hpp"
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

}  // namespace

void Routes::read_stats(const Query& query, const Request& request, Respond respond) {
  stats::Query asked;
  if (auto problem = day_of(query, "from", asked.from)) return respond(problem_response(*problem));
  if (auto problem = day_of(query, "to", asked.to)) return respond(problem_response(*problem));
  if (asked.to < asked.from) return respond(problem_response(bad_parameter("to", "统计期的最后一天早于第一天")));
  if (const auto by = query.find("by"); by != query.end()) {
    const auto names = stats::report_dimension_names();
    if (std::find(names.begin(), names.end(), by->second) == names.end()) {
      return respond(problem_response(bad_parameter("by", "应为 " + dimension_names() + " 之一，实际为 " + by->second)));
    }
    asked.by = *stats::parse_dimension(by->second);
  }
  if (const auto format = query.find("format"); format != query.end() && format->second != "csv" && format->second != "json") {
    return respond(problem_response(bad_parameter("format", "应为 json 或 csv，实际为 " + format->second)));
  }
  auto report = engine_.report(asked);
  if (!report) return respond(problem_response(engine_problem(report.error())));
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

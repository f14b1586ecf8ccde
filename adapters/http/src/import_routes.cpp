// /v1/directory/versions and /v1/calendar/imports: the org directory and a
// calendar notice imported while the service runs (docs/http.md, "Directory"
// and "Calendar"), as `escalator import org` and `calendar import` do.

#include <nlohmann/json.hpp>

#include "body_json.hpp"
#include "escalator/calendar/official_calendar.hpp"
#include "problem.hpp"
#include "routes.hpp"

namespace escalator::http {
namespace {

nlohmann::ordered_json import_json(const OrgImport& v) {
  return {{"version", v.version}, {"imported_at", format_time(v.imported_at)},
          {"source", v.source},   {"name", v.name},
          {"added", v.added},     {"changed", v.changed},
          {"removed", v.removed}, {"digest", v.digest}};
}


}  // namespace

void Routes::list_directory_versions(Respond respond) {
  auto imports = engine_.directory_imports();
  if (!imports) return respond(problem_response(engine_problem(imports.error())));
  nlohmann::ordered_json body{{"in_force", imports->empty() ? 0 : imports->back().version},
                              {"versions", nlohmann::ordered_json::array()}};
  for (const auto& v : *imports) body["versions"].push_back(import_json(v));
  respond(json_response(200, body.dump()));
}

void Routes::import_directory(const Request& request, Respond respond) {
  const std::string type = request.media_type();
  if (type != "application/json" && type != "text/csv") {
    return respond(problem_response({ProblemKind::kUnsupportedMediaType,
                                     "目录文件的 Content-Type 应为 application/json 或 text/csv，实际为 " +
                                         (type.empty() ? std::string("空") : type)}));
  }
  if (request.body.empty()) {
    return respond(problem_response({ProblemKind::kMissingField, "请求体应为组织目录文件，实际为空", "/"}));
  }
  const OrgFileFormat format = type == "text/csv" ? OrgFileFormat::kCsv : OrgFileFormat::kJson;
  if (format == OrgFileFormat::kJson) {
    if (auto body = parse_body(request.body); !body) return respond(problem_response(body.error()));
  }
  // A city's directory is thousands of records, each checked, and the
  // version is written synced: not on an I/O thread.
  on_admin_thread([this, text = request.body, format, respond = std::move(respond)]() mutable {
    auto imported = engine_.import_directory(text, "POST /v1/directory/versions", format);
    if (!imported) {
      const auto& error = imported.error();
      if (error.code != ErrorCode::kFailedPrecondition) return respond(problem_response(engine_problem(error)));
      Problem problem{ProblemKind::kImportRefused, "未能导入组织目录：" + error.message, "", "failed_precondition"};
      problem.engine_detail = error.message;
      return respond(problem_response(problem));
    }
    if (!imported->problems.empty()) {
      const auto& first = imported->problems.front();
      Problem problem{ProblemKind::kInvalidDirectory,
                      "组织目录未导入，共 " + std::to_string(imported->problems.size()) + " 处问题；第一处在第 " +
                          std::to_string(first.line) + " 行 " + first.pointer + "：" + first.reason +
                          "；第 " + std::to_string(imported->in_force) + " 版仍然有效",
                      format == OrgFileFormat::kJson ? first.pointer : std::string()};
      problem.errors = std::move(imported->problems);
      return respond(problem_response(problem));
    }
    auto imports = engine_.directory_imports();
    if (!imports) return respond(problem_response(engine_problem(imports.error())));
    const OrgImport& in_force = imports->back();
    auto body = import_json(in_force);
    body["stored"] = imported->stored.has_value();
    body["converted_from_gb18030"] = imported->converted_from_gb18030;
    Response response = json_response(imported->stored ? 201 : 200, body.dump());
    response.headers.emplace_back("Location", "/v1/directory/versions");
    respond(std::move(response));
  });
}

}  // namespace escalator::http

namespace escalator::http {

void Routes::list_calendar_imports(Respond respond) {
  auto imports = engine_.calendar_imports();
  if (!imports) return respond(problem_response(engine_problem(imports.error())));
  nlohmann::ordered_json body{{"calendar", engine_.calendar()->version()},
                              {"imports", nlohmann::ordered_json::array()}};
  for (const auto& import : *imports) {
    const auto year = parse_calendar_year(import.text, import.source);
    body["imports"].push_back({{"version", import.version},
                               {"imported_at", format_time(import.imported_at)},
                               {"source", import.source},
                               {"year", year ? year->year : 0}});
  }
  respond(json_response(200, body.dump()));
}

void Routes::import_calendar(const Request& request, Respond respond) {
  if (request.body.empty()) {
    return respond(problem_response({ProblemKind::kMissingField, "请求体应为日历通知文件（JSON），实际为空", "/"}));
  }
  if (auto body = parse_body(request.body); !body) return respond(problem_response(body.error()));
  // Every case with a running deadline is carried over before the answer.
  on_admin_thread([this, text = request.body, respond = std::move(respond)]() mutable {
    auto imported = engine_.import_calendar(text, "POST /v1/calendar/imports");
    if (!imported) {
      const auto& error = imported.error();
      Problem problem{error.code == ErrorCode::kInvalidArgument ? ProblemKind::kInvalidCalendar
                      : error.code == ErrorCode::kFailedPrecondition ? ProblemKind::kImportRefused
                                                                     : engine_problem(error).kind,
                      "日历通知未导入：" + error.message, "", std::string(to_string(error.code))};
      problem.engine_detail = error.message;
      return respond(problem_response(problem));
    }
    nlohmann::ordered_json body;
    body["stored"] = imported->stored.has_value();
    body["version"] = imported->stored ? imported->stored->version : imported->same_as;
    body["year"] = imported->year;
    body["calendar"] = imported->calendar;
    if (imported->stored) {
      const auto& recount = imported->recount;
      body["imported_at"] = format_time(imported->stored->imported_at);
      body["cases_checked"] = recount.cases_checked;
      body["cases_moved"] = recount.cases_moved;
      body["not_recomputed"] = recount.problems;
    }
    Response response = json_response(imported->stored ? 201 : 200, body.dump());
    response.headers.emplace_back("Location", "/v1/calendar/imports");
    respond(std::move(response));
  });
}

}  // namespace escalator::http

#include "problem.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace escalator::http {
namespace {

struct Row {
  ProblemKind kind;
  int status;
  std::string_view slug;
  std::string_view title;
};

// The one table: docs/http.md ("Problems") lists the same rows.
constexpr Row kRows[] = {
    {ProblemKind::kBadRequest, 400, "bad-request", "HTTP 请求格式不正确"},
    {ProblemKind::kMalformedJson, 400, "malformed-json", "请求体不是合法的 JSON"},
    {ProblemKind::kInvalidUtf8, 400, "invalid-utf8", "请求含有非 UTF-8 字节"},
    {ProblemKind::kTooDeep, 400, "too-deep", "JSON 嵌套层数超过上限"},
    {ProblemKind::kDuplicateKey, 400, "duplicate-key", "JSON 对象中有重复的键"},
    {ProblemKind::kBadHeader, 400, "bad-header", "请求头格式不正确"},
    {ProblemKind::kBadQuery, 400, "bad-query", "查询参数格式不正确"},
    {ProblemKind::kWrongType, 422, "wrong-type", "字段类型不正确"},
    {ProblemKind::kUnknownField, 422, "unknown-field", "请求含有不认识的字段"},
    {ProblemKind::kMissingField, 422, "missing-field", "缺少必填字段"},
    {ProblemKind::kInvalidField, 422, "invalid-field", "字段取值不被接受"},
    {ProblemKind::kUnknownReference, 422, "unknown-reference", "所指的单位、环节或流程不存在"},
    {ProblemKind::kInvalidWorkflow, 422, "invalid-workflow", "流程文件未通过校验"},
    {ProblemKind::kInvalidDirectory, 422, "invalid-directory", "组织目录文件未通过校验"},
    {ProblemKind::kInvalidCalendar, 422, "invalid-calendar", "日历通知文件未通过校验"},
    {ProblemKind::kBodyTooLarge, 413, "body-too-large", "请求体超过上限"},
    {ProblemKind::kHeaderTooLarge, 431, "header-too-large", "请求头超过上限"},
    {ProblemKind::kUnsupportedMediaType, 415, "unsupported-media-type", "请求体须为 application/json"},
    {ProblemKind::kUnauthenticated, 401, "unauthenticated", "未提供有效的 API 密钥"},
    {ProblemKind::kForbidden, 403, "forbidden", "无权执行此操作"},
    {ProblemKind::kTooManyRequests, 429, "too-many-requests", "请求过于频繁，请稍后重试"},
    {ProblemKind::kRouteNotFound, 404, "route-not-found", "没有这个接口"},
    {ProblemKind::kCaseNotFound, 404, "case-not-found", "工单不存在"},
    {ProblemKind::kWorkflowNotFound, 404, "workflow-not-found", "流程不存在"},
    {ProblemKind::kMethodNotAllowed, 405, "method-not-allowed", "该接口不支持此方法"},
    {ProblemKind::kRefusedTransition, 409, "refused-transition", "工单当前状态不允许此操作"},
    {ProblemKind::kWorkflowConflict, 409, "workflow-conflict", "与其他流程受理的工单重叠"},
    {ProblemKind::kImportRefused, 409, "import-refused", "服务不接受此项导入"},
    {ProblemKind::kStaleVersion, 412, "stale-version", "工单已被更新，版本不符"},
    {ProblemKind::kRequestTimeout, 408, "request-timeout", "请求未在时限内送达"},
    {ProblemKind::kOverloaded, 503, "overloaded", "服务繁忙，请稍后重试"},
    {ProblemKind::kUnavailable, 503, "unavailable", "服务暂时不可用"},
    {ProblemKind::kDataLoss, 500, "data-loss", "存储的工单数据无法读取"},
    {ProblemKind::kInternal, 500, "internal", "服务内部错误"},
};

const Row& row_of(ProblemKind kind) {
  for (const auto& row : kRows) {
    if (row.kind == kind) return row;
  }
  return kRows[std::size(kRows) - 1];
}

// "location.compound: required ..." names its field first, as the engine's
// checks write it (command_check.cpp); the field is the body's, dots for
// slashes. Nothing else before a colon is taken for a field.
std::string pointer_in(const std::string& message) {
  const auto colon = message.find(": ");
  if (colon == std::string::npos || colon == 0) return {};
  std::string pointer = "/";
  for (char c : std::string_view(message).substr(0, colon)) {
    if (c == '.') {
      pointer += '/';
    } else if ((c >= 'a' && c <= 'z') || c == '_' || (c >= '0' && c <= '9')) {
      pointer += c;
    } else {
      return {};
    }
  }
  return pointer == "/idempotency_key" ? std::string() : pointer;
}

}  // namespace

int status_of(ProblemKind kind) { return row_of(kind).status; }
std::string_view slug_of(ProblemKind kind) { return row_of(kind).slug; }
std::string_view title_of(ProblemKind kind) { return row_of(kind).title; }
std::string type_of(ProblemKind kind) {
  return "https://escalator.example/problems/" + std::string(slug_of(kind));
}

Response problem_response(const Problem& problem) {
  nlohmann::ordered_json body;
  body["type"] = type_of(problem.kind);
  body["title"] = title_of(problem.kind);
  body["status"] = status_of(problem.kind);
  body["detail"] = problem.detail;
  if (!problem.pointer.empty()) body["pointer"] = problem.pointer;
  if (!problem.code.empty()) body["code"] = problem.code;
  if (!problem.engine_detail.empty()) body["engine_detail"] = problem.engine_detail;
  if (!problem.errors.empty()) {
    auto& errors = body["errors"] = nlohmann::ordered_json::array();
    for (const FileProblem& fault : problem.errors) {
      errors.push_back({{"detail", fault.reason}, {"pointer", fault.pointer}, {"line", fault.line}});
    }
  }
  Response response;
  response.status = status_of(problem.kind);
  response.content_type = "application/problem+json";
  // Foreign bytes in a detail (a field's value quoted back) must not make the answer fail.
  response.body = body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  if (problem.kind == ProblemKind::kOverloaded || problem.kind == ProblemKind::kUnavailable ||
      problem.kind == ProblemKind::kTooManyRequests)
    response.headers.emplace_back("Retry-After", std::to_string(std::max(1, problem.retry_after_seconds)));
  if (problem.kind == ProblemKind::kUnauthenticated)
    response.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"escalator\"");
  return response;
}

std::string command_label(std::string_view command) {
  static constexpr std::pair<std::string_view, std::string_view> kLabels[] = {
      {"open", "受理"},          {"dispatch", "派单"},          {"accept", "签收"},
      {"reply_on_spot", "现场答复"}, {"reply", "回复"},            {"return", "退回"},
      {"send_back", "发回重办"},   {"escalate", "上报"},          {"urge", "催办"},
      {"hand_over", "移交"},       {"suspend", "挂起"},           {"resume", "恢复办理"},
      {"request_extension", "申请延期"}, {"decide_extension", "审批延期"}, {"follow_up", "回访"},
      {"rate", "评价"},            {"reopen", "重启"},            {"withdraw", "撤单"},
      {"merge", "合并"},           {"close", "办结"},             {"co_handler_reply", "会签答复"},
      {"erase_personal_data", "删除个人信息"}, {"locate", "定位"}, {"discuss", "上会议事"},
      {"add_co_handlers", "增加协办单位"}};
  for (const auto& [name, label] : kLabels) {
    if (name == command) return std::string(label);
  }
  return std::string(command);
}

namespace {

// Whether the lifecycle refused because of the case's state: its table has no
// row for the command there (actions.cpp, no_row_refusal: "…, but it is
// Dispatched"), or the case already exists. Otherwise a guard refused.
bool refused_by_state(const std::string& message) {
  return message.find(", but it is ") != std::string::npos || message.find(" already exists") != std::string::npos;
}

}  // namespace

Problem engine_problem(const Error& error, const RefusalContext& context) {
  Problem problem{ProblemKind::kInternal, "服务内部错误", {}, std::string(to_string(error.code))};
  problem.engine_detail = error.message;
  const std::string the_case = context.case_id.empty() ? "工单" : "工单 " + context.case_id;
  const std::string command = "「" + command_label(context.command) + "」";
  switch (error.code) {
    case ErrorCode::kInvalidArgument:
      problem.kind = ProblemKind::kInvalidField;
      problem.pointer = pointer_in(error.message);
      problem.detail = problem.pointer.empty() ? "请求的取值不被接受" : "字段 " + problem.pointer + " 的取值不被接受";
      break;
    case ErrorCode::kNotFound:
      if (!context.current) {
        problem.kind = ProblemKind::kCaseNotFound;
        problem.detail = context.case_id.empty() ? "工单不存在" : "没有工单 " + context.case_id;
      } else {
        problem.kind = ProblemKind::kUnknownReference;
        problem.detail = command + "所指的工单、单位、环节或流程不存在";
      }
      break;
    case ErrorCode::kAlreadyExists:
    case ErrorCode::kFailedPrecondition:
      problem.kind = ProblemKind::kRefusedTransition;
      if (!refused_by_state(error.message)) {
        // The state takes the command; one of its guards said no (a lead
        // unit at another level, a step the workflow lacks): saying the
        // state forbids it would send the caller the wrong way.
        problem.detail = the_case + " 的" + command + "未获准：所给的条件不符合流程或名录的要求，原因见 engine_detail";
      } else {
        problem.detail = context.current ? the_case + " 当前为「" + std::string(label_zh(context.current->state)) +
                                               "」，不能" + command
                                         : the_case + " 当前的状态不允许" + command;
      }
      break;
    case ErrorCode::kAborted:
      problem.kind = ProblemKind::kStaleVersion;
      problem.detail = context.current ? the_case + " 已是第 " + std::to_string(context.current->version) +
                                             " 版，与 If-Match 不符；请重新读取后再提交"
                                       : the_case + " 的版本与 If-Match 不符";
      break;
    case ErrorCode::kUnavailable:
      problem.kind = ProblemKind::kUnavailable;
      problem.detail = "暂时无法办理，请稍后重试";
      break;
    case ErrorCode::kDataLoss:
      problem.kind = ProblemKind::kDataLoss;
      problem.detail = the_case + " 的存储数据无法读取，请联系管理员核查";
      break;
    case ErrorCode::kInternal: break;
  }
  return problem;
}

Problem bad_query_or(const Error& error) {
  if (error.code != ErrorCode::kInvalidArgument) return engine_problem(error);
  // The engine names the parameter first: "cursor: ...", "limit: ...".
  const auto parameter = error.message.substr(0, error.message.find(':'));
  Problem problem{ProblemKind::kBadQuery, "查询参数 " + parameter + " 不被接受", {}, std::string(to_string(error.code))};
  problem.engine_detail = error.message;
  return problem;
}

}  // namespace escalator::http

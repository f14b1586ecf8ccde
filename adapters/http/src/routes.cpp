#include "routes.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include <nlohmann/json.hpp>

#include "body_json.hpp"
#include "escalator/lifecycle/history.hpp"
#include "case_view.hpp"
#include "command_body.hpp"
#include "escalator/http/openapi.hpp"
#include "problem.hpp"
#include "request_log.hpp"
#include "request_target.hpp"

namespace escalator::http {
namespace {

// The engine's limit on idempotency keys (command_check.cpp).
constexpr std::size_t kMaxKeyBytes = 200;
void answer(Respond& respond, Problem problem) { respond(problem_response(problem)); }

std::string fresh_key() { return "http-" + random_hex(); }

// The key a retry repeats: the Idempotency-Key header, or a fresh one.
std::optional<Problem> key_of(const Request& request, std::string& key) {
  const auto header = request.header("idempotency-key");
  if (header.empty()) {
    key = fresh_key();
    return std::nullopt;
  }
  if (header.size() > kMaxKeyBytes) {
    return Problem{ProblemKind::kBadHeader,
                   "Idempotency-Key 长 " + std::to_string(header.size()) + " 字节，超过上限 " +
                       std::to_string(kMaxKeyBytes)};
  }
  key = std::string(header);
  return std::nullopt;
}

// If-Match: "7" is version 7; * is any version; a weak tag never matches
// (RFC 9110, 13.1.1: If-Match compares strongly).
std::optional<Problem> expected_version_of(const Request& request, std::optional<std::uint64_t>& version,
                                           bool& never_matches) {
  const auto header = request.header("if-match");
  if (header.empty() || header == "*") return std::nullopt;
  if (header.starts_with("W/")) {
    never_matches = true;
    return std::nullopt;
  }
  const bool quoted = header.size() >= 3 && header.front() == '"' && header.back() == '"';
  const auto digits = quoted ? header.substr(1, header.size() - 2) : std::string_view();
  if (digits.empty() || digits.size() > 19 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return Problem{ProblemKind::kBadHeader,
                   "If-Match 应为带引号的工单版本（如 \"7\"）或 *，实际为 " + std::string(header)};
  }
  version = std::stoull(std::string(digits));
  return std::nullopt;
}

std::optional<Problem> body_media_type(const Request& request) {
  if (request.body.empty()) return std::nullopt;
  const auto type = request.media_type();
  if (type == "application/json") return std::nullopt;
  return Problem{ProblemKind::kUnsupportedMediaType,
                 "请求体的 Content-Type 应为 application/json，实际为 " +
                     (type.empty() ? std::string("空") : type)};
}

Response method_not_allowed(std::string_view allowed) {
  Response response = problem_response({ProblemKind::kMethodNotAllowed, "此接口只接受 " + std::string(allowed)});
  response.headers.emplace_back("Allow", std::string(allowed));
  return response;
}

}  // namespace

Routes::Routes(Engine& engine, const HttpOptions& options, std::shared_ptr<Logger> request_log)
    : engine_(engine),
      limits_(options.limits),
      backup_dir_(options.backup_dir),
      request_log_(std::move(request_log)),
      // check_http_options has refused a list that does not parse.
      trusted_proxies_(access::AddressSet::parse(options.trusted_proxies).value_or(access::AddressSet{})),
      key_requests_(options.limits.requests_per_key_per_second, options.limits.requests_per_key_burst),
      bad_keys_(options.limits.bad_keys_per_address_per_minute / 60.0, options.limits.bad_keys_per_address_per_minute) {}

namespace {

// The route a path is counted under: its template, so that no id becomes a label.
std::string_view route_template(const std::optional<std::vector<std::string>>& segments) {
  if (!segments) return "other";
  const auto& s = *segments;
  if (s.size() == 1 && (s[0] == "healthz" || s[0] == "readyz" || s[0] == "metrics")) {
    return s[0] == "healthz" ? "/healthz" : s[0] == "readyz" ? "/readyz" : "/metrics";
  }
  if (s.size() == 2 && s[0] == "v1" && s[1] == "openapi.json") return "/v1/openapi.json";
  if (s.size() == 2 && s[0] == "v1" && s[1] == "inbox") return "/v1/inbox";
  if (s.size() == 2 && s[0] == "v1" && s[1] == "access-log") return "/v1/access-log";
  if (s.size() == 2 && s[0] == "v1" && s[1] == "stats") return "/v1/stats";
  if (s.size() == 3 && s[0] == "v1" && s[1] == "stats" && s[2] == "cases") return "/v1/stats/cases";
  if (s.size() == 3 && s[0] == "v1" && s[1] == "admin" && s[2] == "backups") return "/v1/admin/backups";
  if (s.size() == 3 && s[0] == "v1" && s[1] == "directory" && s[2] == "versions") return "/v1/directory/versions";
  if (s.size() == 3 && s[0] == "v1" && s[1] == "calendar" && s[2] == "imports") return "/v1/calendar/imports";
  if (s.size() == 2 && s[0] == "v1" && s[1] == "workflows") return "/v1/workflows";
  if (s.size() == 3 && s[0] == "v1" && s[1] == "workflows") return "/v1/workflows/{id}";
  if (s.size() == 4 && s[0] == "v1" && s[1] == "workflows" && (s[3] == "retire" || s[3] == "reinstate")) {
    return s[3] == "retire" ? "/v1/workflows/{id}/retire" : "/v1/workflows/{id}/reinstate";
  }
  if (s.size() < 2 || s[0] != "v1" || s[1] != "cases" || s.size() > 4) return "other";
  if (s.size() == 2) return "/v1/cases";
  if (s.size() == 3) return "/v1/cases/{id}";
  return s[3] == "history" ? "/v1/cases/{id}/history" : "/v1/cases/{id}/{command}";
}

// Whether `text` has a case id's shape, "370811-20251111-000001": a path may
// hold anything a client put there, a phone number or a name among them.
bool shaped_like_a_case_id(std::string_view text) {
  if (text.size() != 22 || text[6] != '-' || text[15] != '-') return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i != 6 && i != 15 && (text[i] < '0' || text[i] > '9')) return false;
  }
  return true;
}

// The case a request's line names: the one its path names, when it is shaped
// like a case id and exists, or the one the request opened.
std::string_view case_named_by(const std::string& in_path, const Response& response) {
  if (!in_path.empty()) {
    return response.status == 404 || !shaped_like_a_case_id(in_path) ? std::string_view() : in_path;
  }
  for (const auto& [name, value] : response.headers) {
    if (name == "Location" && value.starts_with("/v1/cases/")) return std::string_view(value).substr(10);
  }
  return {};
}

std::string_view method_label(std::string_view method) {
  for (std::string_view known : {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"}) {
    if (method == known) return known;
  }
  return "other";
}

}  // namespace

void Routes::handle(Request request, Respond respond) {
  const auto started = std::chrono::steady_clock::now();
  request.id = request_id_of(request);
  const auto question = request.target.find('?');
  const std::string_view path = std::string_view(request.target).substr(0, question);
  const auto segments = segments_of(path);
  const auto label = route_template(segments);
  const auto method = method_label(request.method);
  std::string named_case;
  if (segments && segments->size() >= 3 && (*segments)[0] == "v1" && (*segments)[1] == "cases") named_case = (*segments)[2];
  Caller caller;
  caller.client = access::client_address(request.peer, request.header("x-forwarded-for"), trusted_proxies_);
  // The key's id, once admit() has found it, for the request's line.
  auto key_id = std::make_shared<std::string>();
  respond = [this, label, method, started, id = request.id, named_case = std::move(named_case), client = caller.client,
             key_id, respond = std::move(respond)](Response response) {
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    metrics_.request(label, method, response.status, took.count());
    response.headers.emplace_back("X-Request-Id", id);
    log_request(request_log_.get(), {id, method, label, response.status, took.count(),
                                     case_named_by(named_case, response), client, *key_id});
    respond(std::move(response));
  };
  if (!segments) return answer(respond, {ProblemKind::kRouteNotFound, "路径中的百分号编码不正确"});
  auto problem = admit(request, *segments, label, caller);
  if (caller.key != nullptr) *key_id = caller.key->id;
  if (problem) return answer(respond, std::move(*problem));
  const std::string_view query_text =
      question == std::string::npos ? std::string_view() : std::string_view(request.target).substr(question + 1);
  route(request, path, *segments, query_text, caller, std::move(respond));
}

Response Routes::unread(Response response) {
  auto id = random_hex();
  response.headers.emplace_back("X-Request-Id", id);
  log_request(request_log_.get(), {id, "other", "other", response.status, 0.0, {}});
  return response;
}

void Routes::route(const Request& request, std::string_view path, const std::vector<std::string>& s,
                   std::string_view query_text, const Caller& caller, Respond respond) {
  const auto& method = request.method;
  const bool get = method == "GET" || method == "HEAD";
  Query query;
  const auto taking = [&](std::initializer_list<std::string_view> taken) {
    auto problem = query_of(query_text, taken, query);
    if (problem) answer(respond, std::move(*problem));
    return !problem;
  };

  if (s.size() == 1 && s[0] == "metrics") {
    if (!get) return respond(method_not_allowed("GET"));
    if (!taking({})) return;
    auto counts = engine_.counts();
    Response response = json_response(200, metrics_.text(engine_.store_counters(),
                                                          counts ? std::optional(*counts) : std::nullopt,
                                                          in_flight_.load(), connections_.load()));
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    return respond(std::move(response));
  }
  if (s.size() == 1 && (s[0] == "healthz" || s[0] == "readyz")) {
    if (!get) return respond(method_not_allowed("GET"));
    if (!taking({})) return;
    if (s[0] == "readyz" && !ready_) return answer(respond, {ProblemKind::kUnavailable, "服务正在停止"});
    return respond(json_response(200, R"({"status":"ok"})"));
  }
  if (s.size() == 2 && s[0] == "v1" && s[1] == "openapi.json") {
    if (!get) return respond(method_not_allowed("GET"));
    if (!taking({})) return;
    return respond(json_response(200, std::string(openapi_document())));
  }
  if (s.size() == 2 && s[0] == "v1" && s[1] == "access-log") {
    if (!get) return respond(method_not_allowed("GET"));
    if (!taking({"from", "limit"})) return;
    return read_access_log(query, caller, std::move(respond));
  }
  if (s.size() == 2 && s[0] == "v1" && s[1] == "inbox") {
    if (!get) return respond(method_not_allowed("GET"));
    if (!taking({"unit", "cursor", "limit"})) return;
    return read_inbox(query, caller, std::move(respond));
  }
  if (s.size() == 2 && s[0] == "v1" && s[1] == "stats") {
    if (!get) return respond(method_not_allowed("GET"));
    if (!taking({"from", "to", "by", "format"})) return;
    return read_stats(query, request, caller, std::move(respond));
  }
  if (s.size() == 3 && s[0] == "v1" && s[1] == "stats" && s[2] == "cases") {
    if (!get) return respond(method_not_allowed("GET"));
    if (!taking({"count", "from", "to", "by", "group", "cursor", "limit", "format"})) return;
    return read_cases_behind(query, request, caller, std::move(respond));
  }
  if (s.size() == 3 && s[0] == "v1" && s[1] == "admin" && s[2] == "backups") {
    if (!taking({})) return;
    if (get) return list_backups(std::move(respond));
    if (method != "POST") return respond(method_not_allowed("GET, POST"));
    if (!request.body.empty()) return answer(respond, {ProblemKind::kUnknownField, "备份请求不带请求体", "/"});
    return take_backup(std::move(respond));
  }
  if (s.size() == 3 && s[0] == "v1" && s[1] == "calendar" && s[2] == "imports") {
    if (!taking({})) return;
    if (get) return list_calendar_imports(std::move(respond));
    if (method != "POST") return respond(method_not_allowed("GET, POST"));
    if (auto problem = body_media_type(request)) return answer(respond, std::move(*problem));
    return import_calendar(request, std::move(respond));
  }
  if (s.size() == 3 && s[0] == "v1" && s[1] == "directory" && s[2] == "versions") {
    if (!taking({})) return;
    if (get) return list_directory_versions(std::move(respond));
    if (method != "POST") return respond(method_not_allowed("GET, POST"));
    return import_directory(request, std::move(respond));
  }
  if (s.size() >= 2 && s.size() <= 4 && s[0] == "v1" && s[1] == "workflows") {
    if (s.size() == 2) {
      if (!taking({})) return;
      if (get) return list_workflows(std::move(respond));
      if (method != "POST") return respond(method_not_allowed("GET, POST"));
      if (auto problem = body_media_type(request)) return answer(respond, std::move(*problem));
      if (request.body.empty()) return answer(respond, {ProblemKind::kMissingField, "请求体应为流程文件（JSON），实际为空", "/"});
      if (auto body = parse_body(request.body); !body) return answer(respond, std::move(body.error()));
      return upload_workflow(request.body, std::move(respond));
    }
    if (s.size() == 3) {
      if (!get) return respond(method_not_allowed("GET"));
      if (!taking({"version"})) return;
      return read_workflow(s[2], query, std::move(respond));
    }
    if (s[3] != "retire" && s[3] != "reinstate")
      return answer(respond, {ProblemKind::kRouteNotFound, "没有接口 " + std::string(path)});
    if (method != "POST") return respond(method_not_allowed("POST"));
    if (!taking({})) return;
    if (!request.body.empty()) return answer(respond, {ProblemKind::kUnknownField, "停用、恢复流程的请求不带请求体", "/"});
    return retire_workflow(s[2], s[3] == "retire", std::move(respond));
  }
  if (s.size() < 2 || s[0] != "v1" || s[1] != "cases")
    return answer(respond, {ProblemKind::kRouteNotFound, "没有接口 " + std::string(path)});

  if (s.size() == 2) {
    if (get) {
      if (!taking({"state", "step", "level", "unit", "street", "community", "grid", "compound", "category", "channel",
                   "colour", "overdue", "opened_from", "opened_before", "cursor", "limit"}))
        return;
      return list_cases(query, caller, std::move(respond));
    }
    if (method != "POST") return respond(method_not_allowed("GET, POST"));
    if (!taking({})) return;
    return open_case(request, caller, std::move(respond));
  }
  if (s.size() == 3) {
    if (!get) return respond(method_not_allowed("GET"));
    if (!taking({"at"})) return;
    if (const auto at = query.find("at"); at != query.end()) return read_case_at(s[2], at->second, caller, std::move(respond));
    return read_case(s[2], request, caller, std::move(respond));
  }
  if (s.size() == 4 && s[3] == "history") {
    if (!get) return respond(method_not_allowed("GET"));
    if (!taking({})) return;
    return read_history(s[2], std::move(respond));
  }
  if (s.size() == 4) {
    const auto names = client_commands();
    if (std::find(names.begin(), names.end(), s[3]) == names.end())
      return answer(respond, {ProblemKind::kRouteNotFound, "没有命令 " + s[3]});
    if (method != "POST") return respond(method_not_allowed("POST"));
    if (!taking({})) return;
    return command(s[2], s[3], request, caller, std::move(respond));
  }
  answer(respond, {ProblemKind::kRouteNotFound, "没有接口 " + std::string(path)});
}

void Routes::submit(Command command, std::function<void(Result<Decision>)> then, Respond& respond) {
  if (in_flight_.fetch_add(1) >= limits_.max_commands_in_flight) {
    --in_flight_;
    return answer(respond, {ProblemKind::kOverloaded,
                            "处理中的命令已达上限 " + std::to_string(limits_.max_commands_in_flight)});
  }
  const auto started = std::chrono::steady_clock::now();
  const std::string_view name = command_name(command.payload);
  engine_.submit(std::move(command), [this, name, started, then = std::move(then)](Result<Decision> decided) {
    --in_flight_;
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    metrics_.command(name, decided ? (decided->duplicate ? "duplicate" : "decided") : to_string(decided.error().code),
                     took.count());
    then(std::move(decided));
  });
}

void Routes::open_case(const Request& request, const Caller& caller, Respond respond) {
  if (auto problem = body_media_type(request)) return answer(respond, std::move(*problem));
  auto body = parse_body(request.body);
  if (!body) return answer(respond, std::move(body.error()));
  // An intake key opens cases for its own channel: the one it names when the
  // body names none, and no other.
  if (caller.key != nullptr && caller.key->channel && body->is_object() && !body->contains("channel")) {
    (*body)["channel"] = std::string(to_string(*caller.key->channel));
  }
  auto decoded = decode_command("open", *body);
  if (!decoded) return answer(respond, std::move(decoded.error()));
  if (caller.key != nullptr && caller.key->channel) {
    const auto* opened = std::get_if<cmd::Open>(&decoded->payload);
    if (opened != nullptr && opened->channel != *caller.key->channel) {
      return answer(respond, {ProblemKind::kForbidden,
                              "此密钥只受理 " + std::string(to_string(*caller.key->channel)) + " 渠道的诉求，请求为 " +
                                  std::string(to_string(opened->channel)),
                              "/channel"});
    }
  }
  Command command{"", std::move(decoded->external_id), std::nullopt,
                  decoded->actor.empty() ? caller.default_actor() : decoded->actor, std::move(decoded->payload),
                  request.id};
  // The channel's id of the report names the case; without one, the
  // Idempotency-Key does, and without that every request opens a case.
  if (command.idempotency_key.empty()) {
    if (auto problem = key_of(request, command.idempotency_key)) return answer(respond, std::move(*problem));
  }
  auto then = [respond](Result<Decision> decided) mutable {
    if (!decided) return answer(respond, engine_problem(decided.error(), {"", "open", CaseState{}}));
    Response response = json_response(decided->duplicate ? 200 : 201, decision_json(*decided));
    response.headers.emplace_back("Location", "/v1/cases/" + decided->case_id);
    response.headers.emplace_back("ETag", etag_of(decided->version));
    respond(std::move(response));
  };
  submit(std::move(command), std::move(then), respond);
}

std::vector<PausedDeadline> Routes::paused_of(const CaseState& k) const {
  return paused_deadlines(k, *engine_.workflows(), *engine_.calendar());
}

void Routes::read_case(const std::string& case_id, const Request& request, const Caller& caller, Respond respond) {
  auto state = engine_.get(case_id);
  if (!state) return answer(respond, engine_problem(state.error(), {case_id, {}, {}}));
  const auto etag = etag_of(state->version);
  if (request.header("if-none-match") == etag) {
    Response response;
    response.status = 304;
    response.content_type.clear();
    response.headers.emplace_back("ETag", etag);
    return respond(std::move(response));
  }
  Response response = json_response(200, case_json(*state, paused_of(*state), caller.masked()));
  response.headers.emplace_back("ETag", etag);
  answer_once_recorded(caller, "readCase", {&*state}, std::move(response), std::move(respond));
}

void Routes::read_case_at(const std::string& case_id, const std::string& at_text, const Caller& caller,
                          Respond respond) {
  const auto at = parse_time(at_text);
  if (!at) {
    Problem problem{ProblemKind::kBadQuery, "查询参数 at 应为带时区的 RFC 3339 时刻，如 2025-11-11T12:00:00+08:00"};
    problem.engine_detail = "at: " + at.error().message;
    return answer(respond, std::move(problem));
  }
  auto events = engine_.history(case_id);
  if (!events) return answer(respond, engine_problem(events.error(), {case_id, {}, {}}));
  // Through the same replay as `escalator replay --at`, never re-deciding.
  auto then = replay_until(*events, *at);
  if (!then) {
    auto problem = engine_problem(then.error(), {case_id, {}, {}});
    if (then.error().code == ErrorCode::kNotFound) problem.detail = "工单 " + case_id + " 在 " + at_text + " 尚未受理";
    return answer(respond, std::move(problem));
  }
  answer_once_recorded(caller, "readCase", {&*then}, json_response(200, case_json(*then, paused_of(*then), caller.masked())),
                       std::move(respond));
}

void Routes::read_history(const std::string& case_id, Respond respond) {
  auto events = engine_.history(case_id);
  if (!events) return answer(respond, engine_problem(events.error(), {case_id, {}, {}}));
  respond(json_response(200, history_json(case_id, *events)));
}

void Routes::command(const std::string& case_id, const std::string& name, const Request& request,
                     const Caller& caller, Respond respond) {
  if (auto problem = body_media_type(request)) return answer(respond, std::move(*problem));
  auto body = parse_body(request.body);
  if (!body) return answer(respond, std::move(body.error()));
  auto decoded = decode_command(name, *body);
  if (!decoded) return answer(respond, std::move(decoded.error()));
  Command command{case_id, {}, std::nullopt, decoded->actor.empty() ? caller.default_actor() : decoded->actor,
                  std::move(decoded->payload), request.id};
  if (auto problem = key_of(request, command.idempotency_key)) return answer(respond, std::move(*problem));
  bool never_matches = false;
  if (auto problem = expected_version_of(request, command.expected_version, never_matches))
    return answer(respond, std::move(*problem));
  if (never_matches) {
    return answer(respond, {ProblemKind::kStaleVersion, "If-Match 的弱标记不能用于条件修改（RFC 9110 13.1.1）", "",
                            std::string(to_string(ErrorCode::kAborted))});
  }
  auto then = [this, case_id, name, respond](Result<Decision> decided) mutable {
    if (!decided) {
      // The case as it is now, to say why in the user's words (a refusal is
      // answered before any write, on the thread that submitted it).
      RefusalContext context{case_id, name, std::nullopt};
      const auto code = decided.error().code;
      const bool names_the_case = code == ErrorCode::kNotFound || code == ErrorCode::kFailedPrecondition ||
                                  code == ErrorCode::kAlreadyExists || code == ErrorCode::kAborted;
      if (names_the_case) {
        if (auto now = engine_.get(case_id)) context.current = std::move(*now);
      }
      return answer(respond, engine_problem(decided.error(), context));
    }
    Response response = json_response(200, decision_json(*decided));
    response.headers.emplace_back("ETag", etag_of(decided->version));
    respond(std::move(response));
  };
  submit(std::move(command), std::move(then), respond);
}

}  // namespace escalator::http

#include "routes.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "body_json.hpp"
#include "escalator/org/org_directory.hpp"
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
// The longest reason for a read the access log keeps.
constexpr std::size_t kMaxPurposeBytes = 200;

bool valid_utf8(std::string_view text) {
  try {
    (void)nlohmann::json(std::string(text)).dump();
    return true;
  } catch (const nlohmann::json::type_error&) {
    return false;
  }
}

void answer(Respond& respond, Problem problem) { respond(problem_response(problem)); }

std::string fresh_key() { return "http-" + random_hex(); }

}  // namespace

FileVersion file_version_of(const std::filesystem::path& file) {
  struct stat seen {};
  if (::stat(file.c_str(), &seen) != 0) return {};
  return {static_cast<std::uint64_t>(seen.st_ino), static_cast<std::uint64_t>(seen.st_size),
          seen.st_mtim.tv_sec * 1'000'000'000 + seen.st_mtim.tv_nsec};
}

namespace {

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

// The path of the operation a request asks for, as the OpenAPI document and
// access/permissions.hpp write it: its route's template, a command's name in
// place of {command}.
std::string operation_path(std::string_view route, const std::vector<std::string>& s) {
  if (route == "/v1/cases/{id}/{command}") return "/v1/cases/{id}/" + s[3];
  return std::string(route);
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

std::optional<Problem> Routes::admit(const Request& request, const std::vector<std::string>& segments,
                                     std::string_view route, Caller& caller) {
  reload_changed_keys();
  auto ring = keys_.load();
  if (!ring) return std::nullopt;
  const access::Operation* operation = access::operation_at(request.method, operation_path(route, segments));
  if (operation != nullptr && operation->open) return std::nullopt;
  const auto ticks = std::chrono::steady_clock::now();
  const auto too_many = [](std::chrono::milliseconds wait, std::string why) {
    Problem problem{ProblemKind::kTooManyRequests, std::move(why)};
    problem.retry_after_seconds = static_cast<int>((wait.count() + 999) / 1000);
    return problem;
  };
  // An address that sent too many bad keys is answered without its key
  // being read, so that guessing goes no faster than the limit.
  if (auto wait = bad_keys_.empty_for(caller.client, ticks)) {
    return too_many(*wait, "此地址的无效密钥过多，请稍后重试");
  }
  caller.key = ring->authenticate(request.header("authorization"));
  if (caller.key == nullptr) {
    (void)bad_keys_.take(caller.client, ticks);  // an empty bucket is answered at the next request
    return Problem{ProblemKind::kUnauthenticated,
                   "请求须带 Authorization: Bearer <API 密钥>；未带密钥，或密钥无效、已吊销"};
  }
  if (auto wait = key_requests_.take(caller.key->id, ticks)) {
    return too_many(*wait, "此密钥的请求超过每秒 " + std::to_string(static_cast<int>(limits_.requests_per_key_per_second)) + " 次的限额");
  }
  caller.ring = std::move(ring);
  caller.request_id = request.id;
  const auto purpose = request.header("x-access-purpose");
  if (purpose.size() > kMaxPurposeBytes || !valid_utf8(purpose)) {
    return Problem{ProblemKind::kBadHeader, "X-Access-Purpose 应为至多 " + std::to_string(kMaxPurposeBytes) +
                                                " 字节的 UTF-8 文字（查阅个人信息的事由）"};
  }
  caller.purpose = std::string(purpose);
  if (operation == nullptr) return std::nullopt;  // the route answers 404 or 405
  const auto role = caller.key->role;
  const auto grant = operation->of(role);
  if (grant == access::Grant::kNone) {
    return Problem{ProblemKind::kForbidden,
                   "角色 " + std::string(access::to_string(role)) + " 不能调用 " + std::string(operation->id)};
  }
  if (!operation->on_a_case) return std::nullopt;
  // A case outside the key's jurisdiction does not exist for it: answered as
  // a case of no such id is, before anything else about the request.
  const std::string& case_id = segments[2];
  const auto command = route == "/v1/cases/{id}/{command}" ? segments[3] : std::string();
  auto state = engine_.get(case_id);
  const auto now = engine_.clock().now();
  if (!state && state.error().code != ErrorCode::kNotFound) return std::nullopt;
  if (!state || !caller.sees(*state, *engine_.directory(), now)) {
    return engine_problem(Error{ErrorCode::kNotFound, "No case " + case_id}, {case_id, command, std::nullopt});
  }
  if (grant == access::Grant::kHeld && !access::holds(*caller.key, *state)) {
    return Problem{ProblemKind::kForbidden, "工单 " + case_id + " 不由本单位（" + caller.key->jurisdiction.id +
                                                "）承办或协办，不能" + command_label(command)};
  }
  return std::nullopt;
}

Result<std::size_t> Routes::load_keys(const std::filesystem::path& file) {
  const auto written = file_version_of(file);
  auto keys = access::read_keys_file(file);
  {
    std::lock_guard lock(keys_file_mutex_);
    keys_file_ = file;
    keys_written_ = written;  // a file that fails is read again once it changes
  }
  if (!keys) return tl::unexpected(keys.error());
  std::size_t working = 0;
  for (const auto& key : *keys) working += key.revoked() ? 0 : 1;
  warn_of_unknown_jurisdictions(*keys);
  keys_.store(std::make_shared<const access::KeyRing>(std::move(*keys)));
  return working;
}

void Routes::warn_of_unknown_jurisdictions(const std::vector<access::ApiKey>& keys) const {
  const auto directory = engine_.directory();
  const auto* chart = dynamic_cast<const OrgChart*>(directory.get());
  if (chart == nullptr || !request_log_) return;
  const auto now = engine_.clock().now();
  for (const auto& key : keys) {
    const auto& j = key.jurisdiction;
    const bool known = j.kind == access::Jurisdiction::Kind::kEverywhere ||
                       (j.kind == access::Jurisdiction::Kind::kPlace && chart->place(j.id, now) != nullptr) ||
                       (j.kind == access::Jurisdiction::Kind::kUnit && chart->unit(j.id) != nullptr);
    if (known || key.revoked()) continue;
    // Such a key sees no case: most likely a mistyped id.
    request_log_->log({LogLevel::kWarn, "a key's jurisdiction names nothing in the directory in force", "",
                       {{"key", key.id}, {"jurisdiction", j.text()}}});
  }
}

void Routes::reload_changed_keys() {
  std::unique_lock lock(keys_file_mutex_, std::try_to_lock);
  if (!lock || keys_file_.empty()) return;  // another request is looking already
  const auto written = file_version_of(keys_file_);
  if (written == keys_written_) return;
  const auto file = keys_file_;
  lock.unlock();
  if (auto loaded = load_keys(file); !loaded && request_log_) {
    request_log_->log({LogLevel::kWarn, "keys file changed and not read; the keys in force stay", "",
                       {{"file", file.string()}, {"error", loaded.error().message}}});
  }
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

namespace {

// A query parameter read as what it names; the problem names the parameter.
template <class T>
std::optional<Problem> parsed(const Query& query, const char* name, std::optional<T>& out,
                              Result<T> (*parse)(std::string_view)) {
  const auto found = query.find(name);
  if (found == query.end()) return std::nullopt;
  auto value = parse(found->second);
  if (!value) {
    Problem problem{ProblemKind::kBadQuery, "查询参数 " + std::string(name) + " 不被接受"};
    problem.engine_detail = std::string(name) + ": " + value.error().message;
    return problem;
  }
  out = *value;
  return std::nullopt;
}

Result<bool> parse_yes_no(std::string_view text) {
  if (text == "true") return true;
  if (text == "false") return false;
  return fail(ErrorCode::kInvalidArgument, "expected true or false, but got '" + std::string(text) + "'");
}

Result<std::size_t> parse_limit(std::string_view text) {
  if (text.empty() || text.size() > 4 || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return fail(ErrorCode::kInvalidArgument, "expected a number from 1 to " + std::to_string(kMaxPage) + ", but got '" + std::string(text) + "'");
  return static_cast<std::size_t>(std::stoul(std::string(text)));
}

std::string text_of(const Query& query, const char* name) {
  const auto found = query.find(name);
  return found == query.end() ? std::string() : found->second;
}

// The pages of a search a bounded key's request reads at most: a key that
// sees few cases of many gets a short page in bounded time, and its
// next_cursor goes on from where the reading stopped.
constexpr int kPagesReadForAKey = 20;

std::string next_cursor_json(const std::string& cursor) {
  return cursor.empty() ? "null" : nlohmann::json(cursor).dump();
}

}  // namespace

void Routes::list_cases(const Query& query, const Caller& caller, Respond respond) {
  CaseQuery q;
  std::optional<std::size_t> limit;
  std::optional<Problem> problem;
  if (!problem) problem = parsed(query, "state", q.state, &parse_lifecycle_state);
  if (!problem) problem = parsed(query, "level", q.level, &parse_level);
  if (!problem) problem = parsed(query, "channel", q.channel, &parse_channel);
  if (!problem) problem = parsed(query, "colour", q.colour, &parse_warning_colour);
  if (!problem) problem = parsed(query, "overdue", q.overdue, &parse_yes_no);
  if (!problem) problem = parsed(query, "opened_from", q.opened_from, &parse_time);
  if (!problem) problem = parsed(query, "opened_before", q.opened_before, &parse_time);
  if (!problem) problem = parsed(query, "limit", limit, &parse_limit);
  if (problem) return answer(respond, std::move(*problem));
  q.step = text_of(query, "step");
  q.unit = text_of(query, "unit");
  q.street = text_of(query, "street");
  q.community = text_of(query, "community");
  q.grid = text_of(query, "grid");
  q.compound = text_of(query, "compound");
  q.category = text_of(query, "category");
  q.cursor = text_of(query, "cursor");
  if (limit) q.limit = *limit;
  const std::size_t wanted = q.limit;
  const auto now = engine_.clock().now();
  const auto directory = engine_.directory();
  std::vector<CaseState> shown;
  std::string next;
  for (int read = 0;; ++read) {
    auto page = engine_.find_cases(q);
    if (!page) return answer(respond, bad_query_or(page.error()));
    for (auto& k : page->cases) {
      if (caller.sees(k, *directory, now)) shown.push_back(std::move(k));
    }
    next = std::move(page->next_cursor);
    if (caller.key == nullptr || shown.size() >= wanted || next.empty() || read + 1 >= kPagesReadForAKey) break;
    q.cursor = next;
    q.limit = wanted - shown.size();
  }
  std::vector<const CaseState*> read;
  for (const auto& k : shown) read.push_back(&k);
  std::string body = "{\"cases\":[";
  for (std::size_t i = 0; i < shown.size(); ++i) {
    body += (i ? "," : "") + case_json(shown[i], paused_of(shown[i]), caller.masked());
  }
  body += "],\"next_cursor\":" + next_cursor_json(next) + "}";
  answer_once_recorded(caller, "listCases", read, json_response(200, std::move(body)), std::move(respond));
}

void Routes::read_inbox(const Query& query, const Caller& caller, Respond respond) {
  std::optional<std::size_t> limit;
  if (auto problem = parsed(query, "limit", limit, &parse_limit)) return answer(respond, std::move(*problem));
  const auto unit = text_of(query, "unit");
  if (unit.empty()) return answer(respond, {ProblemKind::kBadQuery, "unit: 必填：要看哪个单位的待办"});
  const std::size_t wanted = limit.value_or(50);
  const auto now = engine_.clock().now();
  const auto directory = engine_.directory();
  std::vector<InboxEntry> shown;
  std::string cursor = text_of(query, "cursor"), next;
  for (int read = 0;; ++read) {
    auto page = engine_.inbox(unit, cursor, wanted - shown.size());
    if (!page) return answer(respond, bad_query_or(page.error()));
    for (auto& e : page->entries) {
      if (caller.sees(e.state, *directory, now)) shown.push_back(std::move(e));
    }
    next = std::move(page->next_cursor);
    if (caller.key == nullptr || shown.size() >= wanted || next.empty() || read + 1 >= kPagesReadForAKey) break;
    cursor = next;
  }
  std::vector<const CaseState*> read;
  for (const auto& e : shown) read.push_back(&e.state);
  std::string body = "{\"unit\":" + nlohmann::json(unit).dump() + ",\"entries\":[";
  for (std::size_t i = 0; i < shown.size(); ++i) {
    const auto& e = shown[i];
    nlohmann::ordered_json head;
    if (e.deadline) {
      head["deadline"] = {{"kind", std::string(to_string(e.deadline->kind))}, {"due", format_time(e.deadline->due)}};
    } else {
      head["deadline"] = nullptr;
    }
    head["working_seconds_left"] = e.working_time_left.count();
    // Working hours to one decimal, as a worker reads a deadline: 3.5 小时.
    head["working_hours_left"] = static_cast<double>(std::lround(static_cast<double>(e.working_time_left.count()) / 360.0)) / 10.0;
    head["colour"] = std::string(to_string(e.colour));
    std::string entry = head.dump();
    entry.pop_back();
    body += (i ? "," : "") + entry + ",\"case\":" + case_json(e.state, paused_of(e.state), caller.masked()) + "}";
  }
  body += "],\"next_cursor\":" + next_cursor_json(next) + "}";
  answer_once_recorded(caller, "readInbox", read, json_response(200, std::move(body)), std::move(respond));
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

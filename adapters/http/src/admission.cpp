// Who may ask what (docs/access.md): the key a request carries, its rate,
// the client address's bad keys, the role's grant and the case's
// jurisdiction, checked before a request reaches its route; and the keys
// file, read at start, on SIGHUP and whenever it changes.
#include <sys/stat.h>

#include "escalator/org/org_directory.hpp"
#include "json_text.hpp"
#include "problem.hpp"
#include "routes.hpp"

namespace escalator::http {
namespace {

// The longest reason for a read the access log keeps.
constexpr std::size_t kMaxPurposeBytes = 200;

// The path of the operation a request asks for, as the OpenAPI document and
// access/permissions.hpp write it: its route's template, a command's name in
// place of {command}.
std::string operation_path(std::string_view route, const std::vector<std::string>& s) {
  if (route == "/v1/cases/{id}/{command}") return "/v1/cases/{id}/" + s[3];
  return std::string(route);
}

}  // namespace

FileVersion file_version_of(const std::filesystem::path& file) {
  struct stat seen {};
  if (::stat(file.c_str(), &seen) != 0) return {};
  return {static_cast<std::uint64_t>(seen.st_ino), static_cast<std::uint64_t>(seen.st_size),
          seen.st_mtim.tv_sec * 1'000'000'000 + seen.st_mtim.tv_nsec};
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
  if (purpose.size() > kMaxPurposeBytes || !is_utf8(purpose)) {
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

}  // namespace escalator::http

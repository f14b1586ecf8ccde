// /v1/admin/…: what operators do to a running service (docs/operations.md).
#include <algorithm>

#include <nlohmann/json.hpp>

#include "problem.hpp"
#include "routes.hpp"

namespace escalator::http {
namespace {

nlohmann::ordered_json backup_json(const BackupInfo& backup) {
  return {{"id", backup.id}, {"made_at", format_time(backup.made_at)}, {"bytes", backup.bytes}, {"files", backup.files}};
}

Response json_answer(int status, const nlohmann::ordered_json& body) {
  Response response;
  response.status = status;
  response.body = body.dump();
  return response;
}

}  // namespace

Routes::~Routes() { finish_admin_work(); }

void Routes::finish_admin_work() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(admin_mutex_);
    threads.swap(admin_threads_);
  }
  for (auto& thread : threads) thread.join();
}

void Routes::take_backup(Respond respond) {
  // A backup copies what earlier ones do not hold, which may be gigabytes:
  // never on an I/O thread. The store takes one at a time.
  std::lock_guard lock(admin_mutex_);
  admin_threads_.emplace_back([this, respond = std::move(respond)]() mutable {
    auto made = engine_.backup(backup_dir_);
    if (!made) {
      Problem problem{ProblemKind::kUnavailable, "备份未能完成：" + made.error().message, "",
                      std::string(to_string(made.error().code))};
      problem.engine_detail = made.error().message;
      return respond(problem_response(problem));
    }
    auto body = backup_json(*made);
    body["directory"] = backup_dir_.string();
    Response response = json_answer(201, body);
    response.headers.emplace_back("Location", "/v1/admin/backups");
    respond(std::move(response));
  });
}

void Routes::list_backups(Respond respond) {
  nlohmann::ordered_json body{{"directory", backup_dir_.string()}, {"backups", nlohmann::ordered_json::array()}};
  auto listed = escalator::list_backups(backup_dir_);
  if (!listed && listed.error().code != ErrorCode::kNotFound) {
    Problem problem{ProblemKind::kUnavailable, "读不出备份目录：" + listed.error().message};
    problem.engine_detail = listed.error().message;
    return respond(problem_response(problem));
  }
  if (listed) {
    for (const auto& backup : *listed) body["backups"].push_back(backup_json(backup));
  }
  respond(json_answer(200, body));
}

namespace {

nlohmann::ordered_json version_json(const Workflow& w) {
  return {{"version", w.version}, {"content_hash", w.content_hash}, {"source", w.source}};
}

}  // namespace

void Routes::list_workflows(Respond respond) {
  nlohmann::ordered_json body{{"workflows", nlohmann::ordered_json::array()}};
  const auto all = engine_.workflows()->every_version();  // by id, then version
  for (std::size_t first = 0; first < all.size();) {
    std::size_t end = first;
    auto versions = nlohmann::ordered_json::array();
    for (; end < all.size() && all[end]->id == all[first]->id; ++end) versions.push_back(version_json(*all[end]));
    // The latest version's name and priority: what new cases are opened on.
    const Workflow& latest = *all[end - 1];
    body["workflows"].push_back({{"id", latest.id},
                                 {"name", latest.name},
                                 {"priority", latest.priority},
                                 {"latest_version", latest.version},
                                 {"versions", std::move(versions)}});
    first = end;
  }
  respond(json_answer(200, body));
}

void Routes::read_workflow(const std::string& id, const Query& query, Respond respond) {
  std::optional<int> version;
  if (const auto asked = query.find("version"); asked != query.end()) {
    const auto& text = asked->second;
    const bool digits = !text.empty() && text.size() <= 6 &&
                        std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits || std::stoi(text) < 1) {
      return respond(problem_response({ProblemKind::kBadQuery, "查询参数 version：应为从 1 起的版本号，实际为 " + text}));
    }
    version = std::stoi(text);
  }
  const Workflow* found = nullptr;
  for (const Workflow* w : engine_.workflows()->every_version()) {
    if (w->id == id && (!version || w->version == *version)) found = w;  // the last: the latest
  }
  if (found == nullptr) {
    return respond(problem_response(
        {ProblemKind::kWorkflowNotFound,
         "没有流程 " + id + (version ? " 的第 " + std::to_string(*version) + " 版" : std::string())}));
  }
  auto body = nlohmann::ordered_json{{"id", found->id}};
  const auto version_fields = version_json(*found);
  for (const auto& [key, value] : version_fields.items()) body[key] = value;
  body["workflow"] = nlohmann::ordered_json::parse(found->document);
  Response response = json_answer(200, body);
  response.headers.emplace_back("ETag", "\"" + found->content_hash + "\"");
  respond(std::move(response));
}

}  // namespace escalator::http

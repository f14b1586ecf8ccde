// /v1/admin/…: what operators do to a running service (docs/operations.md).
#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "problem.hpp"
#include "routes.hpp"

namespace escalator::http {
namespace {

nlohmann::ordered_json backup_json(const BackupInfo& backup) {
  return {{"id", backup.id}, {"made_at", format_time(backup.made_at)}, {"bytes", backup.bytes}, {"files", backup.files}};
}

}  // namespace

Routes::~Routes() { finish_admin_work(); }

void Routes::finish_admin_work() {
  std::vector<AdminThread> threads;
  {
    std::lock_guard lock(admin_mutex_);
    threads.swap(admin_threads_);
  }
  for (auto& admin : threads) admin.thread.join();
}

void Routes::take_backup(Respond respond) {
  // A backup copies what earlier ones do not hold, which may be gigabytes:
  // never on an I/O thread. The store takes one at a time.
  on_admin_thread([this, respond = std::move(respond)]() mutable {
    auto made = engine_.backup(backup_dir_);
    if (!made) {
      Problem problem{ProblemKind::kUnavailable, "备份未能完成：" + made.error().message, "",
                      std::string(to_string(made.error().code))};
      problem.engine_detail = made.error().message;
      return respond(problem_response(problem));
    }
    auto body = backup_json(*made);
    body["directory"] = backup_dir_.string();
    Response response = json_response(201, body.dump());
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
  respond(json_response(200, body.dump()));
}

namespace {

// When and how each version came, by workflow id and version: from the
// store's changes (none for a catalog that takes no changes).
using Publications = std::map<std::pair<std::string, int>, const WorkflowChange*>;

Publications publications_in(const std::vector<WorkflowChange>& changes) {
  Publications published;
  for (const auto& change : changes) {
    if (change.kind == WorkflowChange::Kind::kPublished) {
      published[{change.workflow_id, change.workflow_version}] = &change;
    }
  }
  return published;
}

nlohmann::ordered_json version_json(const Workflow& w, const Publications& published) {
  nlohmann::ordered_json j{{"version", w.version}, {"content_hash", w.content_hash}, {"source", w.source}};
  if (const auto it = published.find({w.id, w.version}); it != published.end()) {
    j["origin"] = it->second->origin;
    j["published_at"] = format_time(it->second->at);
  }
  return j;
}

// Every version of each workflow, by id, then version.
std::map<std::string, std::vector<const Workflow*>> versions_by_id(const WorkflowCatalog& catalog) {
  std::map<std::string, std::vector<const Workflow*>> by_id;
  for (const Workflow* w : catalog.every_version()) by_id[w->id].push_back(w);
  return by_id;
}

// The problem for an engine's refusal of a change to its workflows.
Problem change_refused(const Error& error) {
  switch (error.code) {
    case ErrorCode::kNotFound:
      return {ProblemKind::kWorkflowNotFound, "没有这个流程：" + error.message, "", "not_found"};
    case ErrorCode::kFailedPrecondition: {
      Problem problem{ProblemKind::kWorkflowConflict, "未能变更流程：" + error.message, "", "failed_precondition"};
      problem.engine_detail = error.message;
      return problem;
    }
    default:
      return engine_problem(error);
  }
}

}  // namespace

nlohmann::ordered_json Routes::workflow_json(const std::string& id) const {
  const auto changes = engine_.workflow_changes();
  const auto published = publications_in(changes ? *changes : std::vector<WorkflowChange>{});
  const auto by_id = versions_by_id(*engine_.workflows());
  const auto found = by_id.find(id);
  if (found == by_id.end()) return nullptr;
  auto versions = nlohmann::ordered_json::array();
  for (const Workflow* w : found->second) versions.push_back(version_json(*w, published));
  // The latest version's name and priority: what new cases are opened on.
  const Workflow& latest = *found->second.back();
  return {{"id", latest.id},
          {"name", latest.name},
          {"priority", latest.priority},
          {"retired", engine_.workflow_retired(latest.id)},
          {"latest_version", latest.version},
          {"versions", std::move(versions)}};
}

void Routes::list_workflows(Respond respond) {
  nlohmann::ordered_json body{{"workflows", nlohmann::ordered_json::array()}};
  for (const auto& entry : versions_by_id(*engine_.workflows())) body["workflows"].push_back(workflow_json(entry.first));
  respond(json_response(200, body.dump()));
}

void Routes::on_admin_thread(std::function<void()> work) {
  std::lock_guard lock(admin_mutex_);
  // Those done are joined as the next starts, so that a service running for
  // years holds no finished thread.
  std::erase_if(admin_threads_, [](AdminThread& admin) {
    if (!admin.done->load()) return false;
    admin.thread.join();
    return true;
  });
  auto done = std::make_shared<std::atomic<bool>>(false);
  admin_threads_.push_back({std::thread([work = std::move(work), done] {
                              work();
                              done->store(true);
                            }),
                            done});
}

void Routes::upload_workflow(std::string text, Respond respond) {
  // Checking a workflow reaches every compound of the directory, and the
  // change is written synced: not on an I/O thread.
  on_admin_thread([this, text = std::move(text), respond = std::move(respond)]() mutable {
    auto upload = engine_.publish_workflow(text, "POST /v1/workflows");
    if (!upload) return respond(problem_response(change_refused(upload.error())));
    if (!upload->problems.empty()) {
      const auto& first = upload->problems.front();
      Problem problem{ProblemKind::kInvalidWorkflow,
                      "流程未发布，共 " + std::to_string(upload->problems.size()) + " 处问题；第一处在第 " +
                          std::to_string(first.line) + " 行 " + first.pointer + "：" + first.reason,
                      first.pointer};
      problem.errors = std::move(upload->problems);
      return respond(problem_response(problem));
    }
    const Workflow& w = *upload->workflow;
    auto body = workflow_json(w.id);
    body["published_version"] = w.version;
    body["changed"] = upload->changed;
    Response response = json_response(upload->changed ? 201 : 200, body.dump());
    response.headers.emplace_back("Location", "/v1/workflows/" + w.id + "?version=" + std::to_string(w.version));
    respond(std::move(response));
  });
}

void Routes::retire_workflow(const std::string& id, bool retired, Respond respond) {
  on_admin_thread([this, id, retired, respond = std::move(respond)]() mutable {
    auto changed = engine_.set_workflow_retired(id, retired);
    if (!changed) return respond(problem_response(change_refused(changed.error())));
    auto body = workflow_json(id);
    body["changed"] = *changed;
    respond(json_response(200, body.dump()));
  });
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
  const auto changes = engine_.workflow_changes();
  const auto published = publications_in(changes ? *changes : std::vector<WorkflowChange>{});
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
  const auto version_fields = version_json(*found, published);
  for (const auto& [key, value] : version_fields.items()) body[key] = value;
  body["workflow"] = nlohmann::ordered_json::parse(found->document);
  Response response = json_response(200, body.dump());
  response.headers.emplace_back("ETag", "\"" + found->content_hash + "\"");
  respond(std::move(response));
}

}  // namespace escalator::http

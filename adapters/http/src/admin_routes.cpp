// /v1/admin/…: what operators do to a running service (docs/operations.md).
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

}  // namespace escalator::http

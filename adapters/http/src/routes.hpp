// The service's routes (docs/http.md): each checks its request (naming the
// field at fault), calls the engine, and maps the outcome to HTTP through
// problem.hpp's one table. Beast-free, so tests and the fuzz target call
// handle() directly.
//
// Thread safety: handle() may be called from any thread at once.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "escalator/access/abuse.hpp"
#include "escalator/engine/engine.hpp"
#include "escalator/lifecycle/paused.hpp"
#include "escalator/http/service.hpp"
#include "access_recorder.hpp"
#include "caller.hpp"
#include "exchange.hpp"
#include "metrics.hpp"
#include "problem.hpp"
#include "request_target.hpp"

namespace escalator::http {

// Which file is at a path now: a file replaced by a rename (as `escalator
// keys` writes the keys file) is another inode, whatever its timestamps say.
struct FileVersion {
  std::uint64_t inode = 0, size = 0;
  std::int64_t written_ns = 0;
  friend bool operator==(const FileVersion&, const FileVersion&) = default;
};
FileVersion file_version_of(const std::filesystem::path& file);

class Routes {
 public:
  // Each request's line goes to `request_log` (request_log.hpp); null: nowhere.
  Routes(Engine& engine, const HttpOptions& options, std::shared_ptr<Logger> request_log = nullptr);
  // Waits for the administration's work in hand (admin_routes.cpp).
  ~Routes();
  Routes(const Routes&) = delete;
  Routes& operator=(const Routes&) = delete;

  // Answers the request through `respond`, at once or once its command is
  // decided and stored (on whatever thread the engine answers from), with
  // its X-Request-Id, and logs it.
  void handle(Request request, Respond respond);

  // The answer to a request the server could not read (too large, too slow,
  // not HTTP), given an id and logged as such requests are.
  Response unread(Response response);

  // Waits for the administration's work in hand, a backup, to be answered:
  // the service calls it once its I/O threads have ended.
  void finish_admin_work();

  // Checks callers against the keys of `file` (docs/access.md) from now on,
  // in place of the keys checked before; the number of keys that work.
  // Before the first call no key is checked. On an error (the file's,
  // naming the key and member at fault) the keys checked before stay.
  [[nodiscard]] Result<std::size_t> load_keys(const std::filesystem::path& file);

  // From now on /readyz answers 503: the service is stopping.
  void stopping() { ready_ = false; }
  // Commands submitted and not yet answered.
  int commands_in_flight() const { return in_flight_.load(); }
  Metrics& metrics() { return metrics_; }
  // The server tells how many connections are open, for /metrics.
  void connections_open(int n) { connections_.store(n); }

 private:
  // The route the path's segments name, after handle() has parsed them.
  void route(const Request& request, std::string_view path, const std::vector<std::string>& segments,
             std::string_view query_text, const Caller& caller, Respond respond);
  // Who asks, when keys are checked, and whether the role and jurisdiction
  // let it ask this at all (docs/access.md): 401, 403, or a case that does
  // not exist for it. Sets `caller`.
  // Logs each key whose place or unit the directory in force does not know.
  void warn_of_unknown_jurisdictions(const std::vector<access::ApiKey>& keys) const;
  // Reads the keys file again when it was written since it was last read,
  // so that `escalator keys revoke` takes effect at the next request.
  void reload_changed_keys();
  std::optional<Problem> admit(const Request& request, const std::vector<std::string>& segments,
                               std::string_view route, Caller& caller);
  // Answers `response` once each case of `read` whose personal data it
  // shows in clear is recorded in the access log, durably
  // (access_routes.cpp): at once when there is nothing to record, otherwise
  // from the recorder's thread; 503 instead when it cannot be recorded.
  void answer_once_recorded(const Caller& caller, std::string_view operation, const std::vector<const CaseState*>& read,
                            Response response, Respond respond);
  // GET /v1/access-log (access_routes.cpp): the records from a position on.
  void read_access_log(const Query& query, const Caller& caller, Respond respond);
  void open_case(const Request& request, const Caller& caller, Respond respond);
  void list_cases(const Query& query, const Caller& caller, Respond respond);
  void read_inbox(const Query& query, const Caller& caller, Respond respond);
  // GET /v1/stats (report_routes.cpp): JSON, or CSV when asked for.
  void read_stats(const Query& query, const Request& request, const Caller& caller, Respond respond);
  // GET /v1/stats/cases (report_routes.cpp): the cases behind a count, a page
  // at a time, as JSON or CSV.
  void read_cases_behind(const Query& query, const Request& request, const Caller& caller, Respond respond);
  // POST /v1/admin/backups (admin_routes.cpp): taken on a thread of its own,
  // answered when verified.
  void take_backup(Respond respond);
  void list_backups(Respond respond);
  // GET /v1/workflows and /v1/workflows/{id} (admin_routes.cpp).
  void list_workflows(Respond respond);
  void read_workflow(const std::string& id, const Query& query, Respond respond);
  // A workflow as GET /v1/workflows lists it; null when there is none of that id.
  nlohmann::ordered_json workflow_json(const std::string& id) const;
  // POST /v1/workflows, /v1/workflows/{id}/retire and …/reinstate
  // (admin_routes.cpp): each on an administration thread.
  void upload_workflow(std::string text, Respond respond);
  void retire_workflow(const std::string& id, bool retired, Respond respond);
  // GET and POST /v1/directory/versions (import_routes.cpp): the import on
  // an administration thread.
  void list_directory_versions(Respond respond);
  void import_directory(const Request& request, Respond respond);
  // GET and POST /v1/calendar/imports (import_routes.cpp): the import, with
  // its carry of every running deadline, on an administration thread.
  void list_calendar_imports(Respond respond);
  void import_calendar(const Request& request, Respond respond);
  // Runs `work` on a thread of its own, which finish_admin_work() waits for.
  void on_admin_thread(std::function<void()> work);
  // A suspended case's deadlines as paused, with the time each had left; none otherwise.
  std::vector<PausedDeadline> paused_of(const CaseState& k) const;
  void read_case(const std::string& case_id, const Request& request, const Caller& caller, Respond respond);
  // The case as it stood at `at`, replayed from its history; no ETag, since
  // no command can be conditional on a past version.
  void read_case_at(const std::string& case_id, const std::string& at, const Caller& caller, Respond respond);
  void read_history(const std::string& case_id, Respond respond);
  void command(const std::string& case_id, const std::string& name, const Request& request, const Caller& caller,
               Respond respond);
  // Submits the command, counting it in flight, and answers with `answer`.
  void submit(Command command, std::function<void(Result<Decision>)> answer, Respond& respond);

  Engine& engine_;
  HttpLimits limits_;
  std::filesystem::path backup_dir_;
  std::mutex admin_mutex_;
  struct AdminThread {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;  // set as its work ends
  };
  std::vector<AdminThread> admin_threads_;  // guarded by admin_mutex_
  std::atomic<bool> ready_{true};
  std::atomic<int> in_flight_{0};
  std::atomic<int> connections_{0};
  Metrics metrics_;
  std::shared_ptr<Logger> request_log_;
  // Made at the first read to record; never replaced after.
  std::mutex recorder_mutex_;
  std::unique_ptr<AccessRecorder> recorder_;  // guarded by recorder_mutex_ until made
  // The keys callers are checked against; null: none are (docs/access.md).
  std::atomic<std::shared_ptr<const access::KeyRing>> keys_;
  // The file they were read from and when it was last written: a request
  // that finds it written since reads it again (reload_changed_keys).
  std::mutex keys_file_mutex_;
  std::filesystem::path keys_file_;                  // guarded by keys_file_mutex_
  FileVersion keys_written_{};                       // guarded by keys_file_mutex_
  access::AddressSet trusted_proxies_;
  access::Buckets key_requests_;     // by key id
  access::Buckets bad_keys_;         // by client address
};

}  // namespace escalator::http

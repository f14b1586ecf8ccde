#include "store_commands.hpp"

#include <iostream>
#include <map>
#include <optional>

#include <nlohmann/json.hpp>

#include "command_line.hpp"
#include "escalator/store/store.hpp"
#include "http_client.hpp"
#include "new_store.hpp"

namespace escalator::tools {
namespace {

constexpr const char* kBackupWhat = R"(Adds a backup of the store to the directory BACKUPS (made if missing), with RocksDB's
backup engine: files an earlier backup holds are shared, not copied again, and the new backup
is verified against its checksums before it is reported. A store a running service has open
is backed up by the service itself, without stopping it: --server URL asks it to (POST
/v1/admin/backups, into its backup_dir; docs/operations.md). --list prints the backups a directory holds instead.)";

constexpr const char* kRestoreWhat = R"(Restores the newest backup in BACKUPS (or backup ID) into the store's directory, which
must not exist: a restore never overwrites a store. Then reads every case back, as
`escalator check` does.)";

constexpr const char* kCheckWhat = R"(Opens the store and reads every case back: each event decodes, the events run 1..n, and
the snapshot equals the replay of its events. Prints every problem, naming the case or the
record, then what was checked.

This is the quick check, through the store's own loading path. It does not check the events'
hashes and chains, the log, the personal records, the case lists, the timers or the report
counters: `escalator audit verify` is the whole check (docs/history.md, "Audit").

A store a running service has open is read beside it, as the service had written it when
the check began.)";

void print_backup(const BackupInfo& b, std::ostream& out) {
  out << "backup " << b.id << "  " << format_time(b.made_at) << "  " << b.files << " files, " << b.bytes
      << " bytes\n";
}

// Prints what the check found; true when the store is whole.
bool report(const StoreCheck& check, std::ostream& out) {
  for (const auto& p : check.problems) out << "PROBLEM " << p << "\n";
  out << check.cases << " cases, " << check.events << " events checked; " << check.problems.size()
      << (check.problems.size() == 1 ? " problem" : " problems")
      << " (the quick check: `escalator audit verify` checks hashes, the log, personal records, lists, timers and "
         "counters too)\n";
  return check.problems.empty();
}

// check --json: {"whole", "cases", "events", "problems": [...]}.
bool report_json(const StoreCheck& check, std::ostream& out) {
  nlohmann::ordered_json j{{"whole", check.problems.empty()},
                           {"cases", check.cases},
                           {"events", check.events},
                           {"problems", check.problems}};
  out << j.dump(2) << "\n";
  return check.problems.empty();
}

int check_at(const std::filesystem::path& data, bool json, std::ostream& out) {
  auto store = open_store_to_read(data);
  if (!store) {
    std::cerr << store.error().message << "\n";
    return 1;
  }
  const StoreCheck check = check_store(**store);
  return (json ? report_json(check, out) : report(check, out)) ? 0 : 1;
}

nlohmann::ordered_json backup_json(const BackupInfo& b) {
  return {{"id", b.id}, {"made_at", format_time(b.made_at)}, {"files", b.files}, {"bytes", b.bytes}};
}

// POST /v1/admin/backups to the service at `url`, said as a backup made here is.
int backup_through_service(const std::string& url, std::ostream& out) {
  auto server = parse_server_url(url);
  if (!server) return usage_error("escalator backup", server.error().message);
  auto answer = http_exchange(*server, "POST", "/v1/admin/backups", "", {}, std::chrono::hours(6));
  if (!answer) {
    std::cerr << "escalator backup: " << answer.error().message << "\n";
    return 1;
  }
  const auto made = nlohmann::json::parse(answer->body, nullptr, false);
  if (answer->status != 201 || !made.is_object()) {
    std::cerr << "escalator backup: the service answered " << answer->status << ": "
              << (made.is_object() ? made.value("detail", answer->body) : answer->body) << "\n";
    return 1;
  }
  out << "backup " << made.value("id", 0) << "  " << made.value("made_at", "") << "  " << made.value("files", 0)
      << " files, " << made.value("bytes", 0) << " bytes, in " << made.value("directory", "") << "\n";
  return 0;
}

}  // namespace

int backup_command(const std::vector<std::string>& args, const Config& config, std::ostream& out) {
  auto app = command_app("escalator backup", kBackupWhat, "Exits 1 on any error.");
  std::filesystem::path data;
  std::string to;
  std::string list;
  add_data_option(*app, data, config);
  auto* to_option = app->add_option("--to", to, "the directory of backups to add this one to")->option_text("BACKUPS");
  auto* list_option =
      app->add_option("--list", list, "print the backups this directory holds")->option_text("BACKUPS");
  list_option->excludes(to_option);
  std::string server;
  auto* server_option = app->add_option("--server", server,
                                        "ask the running service at URL to back up its own store, into its "
                                        "backup_dir, without stopping it (POST /v1/admin/backups)")
                            ->option_text("URL");
  server_option->excludes(to_option);
  server_option->excludes(list_option);
  bool json = false;
  add_json_flag(*app, json)->description("with --list: the backups as a JSON array of {\"id\", \"made_at\", "
                                         "\"files\", \"bytes\"}")->needs(list_option);
  app->require_option(1, 4);
  if (auto done = parse_command_line(*app, args, out)) return *done;
  if (!server.empty()) return backup_through_service(server, out);
  if (!list.empty()) {
    auto listed = list_backups(list);
    if (!listed) {
      std::cerr << listed.error().message << "\n";
      return 1;
    }
    if (json) {
      auto j = nlohmann::ordered_json::array();
      for (const auto& b : *listed) j.push_back(backup_json(b));
      out << j.dump(2) << "\n";
      return 0;
    }
    for (const auto& b : *listed) print_backup(b, out);
    return 0;
  }
  if (to.empty()) {
    std::cerr << "escalator backup: name the directory of backups (--to BACKUPS), or --list BACKUPS\n";
    return 2;
  }
  auto made = backup_store(data, to);
  if (!made) {
    std::cerr << made.error().message << "\n";
    // The service backs up its own store, while it runs.
    if (in_use_elsewhere(made.error())) {
      std::cerr << "A running service takes the backup itself, without stopping: "
                   "escalator backup --server http://127.0.0.1:8345 (its port; docs/operations.md)\n";
    }
    return 1;
  }
  print_backup(*made, out);
  return 0;
}

int restore_command(const std::vector<std::string>& args, const Config& config, std::ostream& out) {
  auto app = command_app("escalator restore", kRestoreWhat, "Exits 1 on any error or problem.");
  std::filesystem::path data;
  std::string from;
  std::optional<std::uint32_t> id;
  add_data_option(*app, data, config)->description("the new store's directory, which must not exist (default: the "
                                                   "configuration's data_dir, ./data)");
  app->add_option("--from", from, "the directory of backups")->option_text("BACKUPS")->required();
  app->add_option("--backup", id, "the backup to restore (default: the newest)")
      ->option_text("ID")
      ->check(whole_number(1, 0xFFFFFFFFu));
  if (auto done = parse_command_line(*app, args, out)) return *done;
  auto restored = restore_store(from, data, id);
  if (!restored) {
    std::cerr << restored.error().message << "\n";
    return 1;
  }
  out << "restored ";
  print_backup(*restored, out);
  return check_at(data, false, out);
}

int check_command(const std::vector<std::string>& args, const Config& config, std::ostream& out) {
  auto app = command_app("escalator check", kCheckWhat, "Exits 1 if there is any problem.");
  std::filesystem::path data;
  bool json = false;
  add_data_option(*app, data, config);
  add_json_flag(*app, json);
  if (auto done = parse_command_line(*app, args, out)) return *done;
  return check_at(data, json, out);
}

}  // namespace escalator::tools

#include "store_commands.hpp"

#include <iostream>
#include <map>
#include <optional>

#include "cli_options.hpp"
#include "escalator/store/store.hpp"
#include "new_store.hpp"

namespace escalator::tools {
namespace {

constexpr const char* kBackupHelp = R"(Usage: escalator backup --data DIR --to BACKUPS
       escalator backup --list BACKUPS

Adds a backup of the store at DIR to the directory BACKUPS (made if missing), with RocksDB's
backup engine: files an earlier backup holds are shared, not copied again, and the new backup
is verified against its checksums before it is reported. The store must not be in use by a
running engine. --list prints the backups BACKUPS holds. Exits 1 on any error.
)";

constexpr const char* kRestoreHelp = R"(Usage: escalator restore --from BACKUPS --data DIR [--backup ID]

Restores the newest backup in BACKUPS (or backup ID) into DIR, which must not exist: a restore
never overwrites a store. Then reads every case back, as `escalator check` does. Exits 1 on any
error or problem.
)";

constexpr const char* kCheckHelp = R"(Usage: escalator check --data DIR

Opens the store at DIR and reads every case back: each event decodes, the events run 1..n,
and the snapshot equals the replay of its events. Prints every problem, naming the case or
the record, then what was checked. Exits 1 if there is any problem.

This is the quick check, through the store's own loading path. It does not check the events'
hashes and chains, the log, the personal records, the case lists, the timers or the report
counters: `escalator audit verify` is the whole check (docs/history.md, "Audit").
)";

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

int check_at(const std::filesystem::path& data, std::ostream& out) {
  auto store = open_existing_store(data);
  if (!store) {
    std::cerr << store.error().message << "\n";
    return 1;
  }
  return report(check_store(**store), out) ? 0 : 1;
}

}  // namespace

int backup_command(const std::vector<std::string>& args, std::ostream& out) {
  if (wants_help(args)) {
    out << kBackupHelp;
    return 0;
  }
  auto o = options_of(args, {"--data", "--to", "--list"}, kBackupHelp);
  if (!o) return 2;
  if (o->contains("--list") && o->size() == 1) {
    auto listed = list_backups(o->at("--list"));
    if (!listed) {
      std::cerr << listed.error().message << "\n";
      return 1;
    }
    for (const auto& b : *listed) print_backup(b, out);
    return 0;
  }
  if (!o->contains("--data") || !o->contains("--to") || o->size() != 2) {
    std::cerr << "escalator backup: name the store (--data DIR) and the backups (--to BACKUPS)\n\n" << kBackupHelp;
    return 2;
  }
  auto made = backup_store(o->at("--data"), o->at("--to"));
  if (!made) {
    std::cerr << made.error().message << "\n";
    return 1;
  }
  print_backup(*made, out);
  return 0;
}

int restore_command(const std::vector<std::string>& args, std::ostream& out) {
  if (wants_help(args)) {
    out << kRestoreHelp;
    return 0;
  }
  auto o = options_of(args, {"--from", "--data", "--backup"}, kRestoreHelp);
  if (!o) return 2;
  if (!o->contains("--from") || !o->contains("--data")) {
    std::cerr << "escalator restore: name the backups (--from BACKUPS) and a new store (--data DIR)\n\n"
              << kRestoreHelp;
    return 2;
  }
  std::optional<std::uint32_t> id;
  if (o->contains("--backup")) {
    try {
      std::size_t used = 0;
      const auto n = std::stoul(o->at("--backup"), &used);
      if (used != o->at("--backup").size() || n == 0 || n > 0xFFFFFFFFul) throw std::out_of_range("id");
      id = static_cast<std::uint32_t>(n);
    } catch (const std::exception&) {
      std::cerr << "--backup: expected a backup id (a positive number), got '" << o->at("--backup") << "'\n";
      return 2;
    }
  }
  auto restored = restore_store(o->at("--from"), o->at("--data"), id);
  if (!restored) {
    std::cerr << restored.error().message << "\n";
    return 1;
  }
  out << "restored ";
  print_backup(*restored, out);
  return check_at(o->at("--data"), out);
}

int check_command(const std::vector<std::string>& args, std::ostream& out) {
  if (wants_help(args)) {
    out << kCheckHelp;
    return 0;
  }
  auto o = options_of(args, {"--data"}, kCheckHelp);
  if (!o) return 2;
  if (!o->contains("--data")) {
    std::cerr << "escalator check: name the store (--data DIR)\n\n" << kCheckHelp;
    return 2;
  }
  return check_at(o->at("--data"), out);
}

}  // namespace escalator::tools

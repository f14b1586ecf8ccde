// The one configuration file the CLI and embedders share. The functions are
// pure (load_config reads the file) and safe from any thread. Its format is JSON,
// checked against schemas/config.schema.json (compiled into the library);
// docs/configuration.md describes every key.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "escalator/calendar/calendar.hpp"
#include "escalator/util/logger.hpp"
#include "escalator/util/result.hpp"
#include "escalator/stats/stats.hpp"

namespace escalator {

struct Limits {
  // Threads that take up the commands that waited for their case's write. 0:
  // none; such a command is decided on the thread that finished the write it
  // waited for (the caller's with the memory store, the store's with RocksDB).
  int worker_threads = 2;
  int shards = 16;         // cases are spread over shards by a hash of their id
  int max_text_bytes = 4000;   // content, answers, reasons, notes
  int max_co_handlers = 8;
  int cached_cases = 100000;  // cases kept in memory; the least recently used leave it, never the store
  // Due timers fire_due_timers() submits before waiting for them: more fires a
  // storm sooner, fewer keeps clients' commands quicker meanwhile.
  int timers_at_once = 8;

  friend bool operator==(const Limits&, const Limits&) = default;
};

struct Config {
  std::filesystem::path data_dir = "./data";
  // Where a running service adds its backups (POST /v1/admin/backups); empty:
  // beside the store, its directory's name and "-backups" ("./data-backups").
  std::filesystem::path backup_dir;
  LogLevel log_level = LogLevel::kInfo;
  Limits limits;
  // When working hours count on working days (calendar.working_hours).
  WorkingHours working_hours = default_working_hours();
  // Secrets are never in the file itself, only where to read them: name -> path.
  std::map<std::string, std::filesystem::path> secret_files;
  // The org directory file (JSON or CSV) a store that holds no directory
  // starts from, as its version 1; empty: the sample directory.
  std::filesystem::path org_file;
  // How the report's rates are made of its counts (docs/stats.md).
  stats::Formulas stats;

  friend bool operator==(const Config&, const Config&) = default;
};

// Parses and validates a configuration document. On failure, kInvalidArgument
// whose message names each bad key by its JSON pointer ("/limits/shards") and
// why, one problem per line.
// Relative paths are kept as written.
[[nodiscard]] Result<Config> parse_config(std::string_view json_text);
// Reads the file and parses it; relative paths in it are resolved against the
// file's directory. kNotFound when the file cannot be read; parse errors as
// above, prefixed with the file's path.
[[nodiscard]] Result<Config> load_config(const std::filesystem::path& file);

// The schema the configuration is checked against, as JSON text.
std::string_view config_schema();

}  // namespace escalator

// Auditing a durable store (docs/history.md, "Audit"): every case's hash
// chain over the bytes as stored, the log of every event in commit order, and
// every snapshot against the replay of its events, every case's personal data
// against the commitments its history holds. What `escalator audit
// verify` runs.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "escalator/util/progress.hpp"
#include "escalator/util/result.hpp"

namespace escalator {

// One place where the store is not what its own records say it should be.
struct AuditBreak {
  std::string where;      // the record: "events/370811-20251111-000001#3", "log/17", "cases/370811-…"
  std::string case_id;    // empty when the record names no case
  std::uint64_t seq = 0;  // the event within the case; 0 when not about one event
  std::string what;       // "hash 3f2a…  does not match its bytes, which hash to 9c01…", ...
};

struct AuditReport {
  std::uint64_t cases = 0;        // cases with stored events
  std::uint64_t events = 0;       // event records read
  std::uint64_t log_entries = 0;  // log entries read
  std::uint64_t snapshots = 0;    // snapshots compared with the replay of their events
  std::uint64_t personal_records = 0;  // personal records checked against their commitments
  std::uint64_t list_entries = 0;      // case list entries found as the snapshots put them
  std::uint64_t timers = 0;            // running deadlines whose timeout was found stored
  std::uint64_t access_records = 0;    // access log records whose chain was checked
  std::uint64_t access_position = 0;   // the access log's last record and its hash: like log_hash,
  std::string access_hash;             // one value that commits to every record before it
  std::uint64_t log_position = 0;  // the last entry's position, and its log_hash: one value that
  std::string log_hash;            // commits to every event, for the auditor to write down
  // When an upgrade sealed a format 3 history again for format 4 (it verified
  // first): the old log's last position and log_hash, which an auditor may
  // have written down. 0 and empty otherwise.
  std::uint64_t resealed_log_position = 0;
  std::string resealed_log_hash;
  std::vector<AuditBreak> breaks;  // every break found, in the order found
};

// Audits the store at `data`, reading it whole; it must not be open elsewhere.
// A store of an older format is upgraded first, as opening it would.
// Errors: kNotFound (no store there), kUnavailable (in use, or unreadable),
// kFailedPrecondition (a newer format). Breaks are findings, not errors.
// `progress`, when given, hears how many events have been read.
[[nodiscard]] Result<AuditReport> audit_store(const std::filesystem::path& data, const Progress& progress = {});

}  // namespace escalator

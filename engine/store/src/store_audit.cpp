// escalator audit verify (audit.hpp): three passes over the store as stored.
//   events, in key order: each case's chain over the bytes as they are, each
//     event's log entry, and its snapshot against the replay of its events;
//   cases: a snapshot with no events; personal: a record with no events;
// and, with each case, its personal record against its history's commitments;
//   log, in position order: no gaps, the running log_hash, and each entry's
//     event stored at that position.
// That every event and its log entry name each other is told first by
// summing both sides (LogMatch), reading each family once in key order; only
// a store where the sums differ is read again, looking each one up, to name
// what differs.
// Every break is reported and the audit goes on (LevelDB's log reader reports
// corruption the same way), so one damaged record does not hide the next.
#include "escalator/store/access_log.hpp"
#include "escalator/store/audit.hpp"

#include <rocksdb/db.h>

#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <unordered_set>

#include "appliers.hpp"
#include "escalator/lifecycle/history.hpp"
#include "escalator/store/store.hpp"
#include "event_json.hpp"
#include "event_record.hpp"
#include "personal_data.hpp"
#include "rocks_store.hpp"
#include "rocks_support.hpp"
#include "sha256.hpp"
#include "store_format.hpp"
#include "store_layout.hpp"
#include "store_records.hpp"
#include "timers.hpp"

namespace escalator {
namespace {

namespace layout = store_layout;

std::string short_hash(std::string_view hash) { return std::string(hash.substr(0, 12)) + "…"; }

std::string brief(const EventJson& value) {
  std::string text =
      value.is_null() ? "nothing" : value.dump(-1, ' ', false, EventJson::error_handler_t::replace);
  return text.size() > 60 ? text.substr(0, 57) + "..." : text;
}

// "state (stored "closed", replayed "dispatched"), urges (stored 7, replayed 0)"
std::string differences(const CaseState& stored, const CaseState& replayed) {
  const EventJson a = case_to_json(stored);
  const EventJson b = case_to_json(replayed);
  std::string out;
  auto differ = [&](const std::string& key) {
    const EventJson none;
    const auto& x = a.contains(key) ? a[key] : none;
    const auto& y = b.contains(key) ? b[key] : none;
    if (x == y) return;
    if (!out.empty()) out += ", ";
    out += key + " (stored " + brief(x) + ", replayed " + brief(y) + ")";
  };
  for (const auto& [key, value] : a.items()) differ(key);
  for (const auto& [key, value] : b.items()) {
    if (!a.contains(key)) differ(key);
  }
  return out;
}

// Whether the events and the log entries name each other, without a point
// lookup per event: each side adds up a keyed digest of every (position, case,
// seq, hash) it holds. The sums are equal exactly when both sides hold the
// same ones, but with odds of 2^-256: the key is drawn afresh for each audit,
// after any tampering, so no record can be made to cancel another out.
class LogMatch {
 public:
  // None when no key can be drawn: the audit then looks each one up.
  static std::optional<LogMatch> keyed() {
    LogMatch match;
    if (RAND_bytes(match.key_.data(), static_cast<int>(match.key_.size())) != 1) {
      return std::nullopt;
    }
    return match;
  }

  void add_event(std::uint64_t position, std::string_view case_id, std::uint64_t seq,
                 std::string_view hash) {
    add(events_, position, case_id, seq, hash);
  }
  void add_log_entry(std::uint64_t position, std::string_view case_id, std::uint64_t seq,
                     std::string_view hash) {
    add(log_, position, case_id, seq, hash);
  }
  bool holds() const { return events_ == log_; }

 private:
  using Sum = std::array<std::uint64_t, 4>;  // lanes, each mod 2^64

  void add(Sum& sum, std::uint64_t position, std::string_view case_id, std::uint64_t seq,
           std::string_view hash) {
    // The fields of fixed width, and the hash's, first, so no field can be read as another.
    std::array<std::uint64_t, 3> numbers{position, seq, hash.size()};
    thread_local Sha256 hasher;
    const auto digest =
        hasher.update(key_)
            .update(std::string_view(reinterpret_cast<const char*>(numbers.data()), 24))
            .update(hash)
            .update(case_id)
            .finish();
    for (std::size_t lane = 0; lane < sum.size(); ++lane) {
      std::uint64_t word = 0;
      std::memcpy(&word, digest.data() + 8 * lane, 8);
      sum[lane] += word;
    }
  }

  Sha256Digest key_{};
  Sum events_{}, log_{};
};

class Auditor {
 public:
  Auditor(OpenedDb& opened, std::optional<LogMatch> sums, const Progress& progress)
      : db_(*opened.db), handles_(opened.handles), sums_(std::move(sums)), progress_(progress) {}

  // The report, or none when the sums found that events and log entries do not
  // all name each other: the store must then be read again by lookups.
  std::optional<AuditReport> run() {
    resealed_from();
    events_pass();
    snapshots_pass();
    lists_pass();
    log_pass();
    access_pass();
    if (sums_ && !sums_->holds()) return std::nullopt;
    return std::move(report_);
  }

 private:
  // The case being read in the events pass.
  struct CaseRun {
    std::string id;
    std::uint64_t next_seq = 1;
    event_record::ChainHead head{};
    bool chain_known = true;  // head is the hash of the record before
    bool all_decoded = true;  // every event 1..n was read, so the replay can be compared
    // The replay, applied event by event as they are read.
    CaseState replayed{};
    std::optional<std::string> replay_failed{};  // why an event did not apply
    std::size_t decoded = 0;
    std::optional<ev::CaseOpened> opened{};  // the first event read, when it is one
    bool erased = false;                     // a PersonalDataErased was read
  };

  rocksdb::ColumnFamilyHandle* family(layout::Family f) const { return handles_[1 + f]; }

  void broke(std::string where, std::string case_id, std::uint64_t seq, std::string what) {
    report_.breaks.push_back({std::move(where), std::move(case_id), seq, std::move(what)});
  }

  std::optional<std::string> get(layout::Family f, const std::string& key) const {
    std::string value;
    if (!db_.Get(rocksdb::ReadOptions(), family(f), key, &value).ok()) return std::nullopt;
    return value;
  }

  // Tells the caller how far a pass has got, every kProgressEvery records.
  void read_one(std::string_view what, std::uint64_t& done) {
    if (progress_ && ++done % kProgressEvery == 0) progress_(what, done, 0);
  }

  void events_pass() {
    CaseRun run;
    std::uint64_t read = 0;
    std::unique_ptr<rocksdb::Iterator> it(
        db_.NewIterator(rocksdb::ReadOptions(), family(layout::kEvents)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      read_one("events", read);
      const std::string key = it->key().ToString();
      const auto nul = key.find('\0');
      const auto seq =
          nul == std::string::npos ? std::nullopt : layout::event_seq(key, key.substr(0, nul));
      if (!seq) {
        broke("events/" + printable(key), "", 0, "not an event key");
        continue;
      }
      if (key.compare(0, nul, run.id) != 0 || run.id.size() != nul) {
        finish_case(run);
        run = CaseRun{key.substr(0, nul)};
        seen_.insert(run.id);
        ++report_.cases;
      }
      ++report_.events;
      event(run, *seq, it->value().ToStringView());
    }
    if (!it->status().ok()) broke("events", "", 0, "cannot be read: " + it->status().ToString());
    finish_case(run);
  }

  void event(CaseRun& run, std::uint64_t seq, std::string_view value) {
    const std::string where = "events/" + run.id + "#" + std::to_string(seq);
    if (seq != run.next_seq) {
      broke(where, run.id, seq,
            seq == run.next_seq + 1
                ? "event #" + std::to_string(run.next_seq) + " before it is missing"
                : "events #" + std::to_string(run.next_seq) + " to #" + std::to_string(seq - 1) +
                      " before it are missing");
      run.chain_known = false;
      run.all_decoded = false;
    }
    run.next_seq = seq + 1;
    const auto parts = event_record::split(value);
    if (!parts) {
      broke(where, run.id, seq, "not an event record");
      run.chain_known = false;
      run.all_decoded = false;
      return;
    }
    // The head moves on as the seal is checked, so what the record had to follow is noted first.
    const std::string must_follow =
        run.chain_known && parts->prev_hash != run.head.hash() ? std::string(run.head.hash()) : "";
    if (!run.head.advance(*parts)) {
      broke(where, run.id, seq,
            "hash " + short_hash(parts->hash) + " does not match its bytes, which hash to " +
                short_hash(chained_hash(parts->prev_hash, parts->canonical).value_or("?")));
    }
    if (!must_follow.empty()) {
      broke(where, run.id, seq,
            "prev_hash " + short_hash(parts->prev_hash) + " is not " +
                (seq == 1 ? "the genesis hash"
                          : "the hash of event #" + std::to_string(seq - 1) + ", " +
                                short_hash(must_follow)));
    }
    run.chain_known = true;
    if (sums_) {
      sums_->add_event(parts->position, run.id, seq, parts->hash);
    } else {
      log_entry_of(run.id, seq, *parts, where);
    }

    // One event read over the last, so its strings' storage is reused.
    if (auto decoded = event_record::decode(*parts, event_); !decoded) {
      broke(where, run.id, seq, decoded.error().message);
      run.all_decoded = false;
      return;
    }
    if (auto canonical = canonical_bytes(event_); !canonical || *canonical != parts->canonical) {
      broke(where, run.id, seq, "its bytes are not the canonical form of the event they hold");
    }
    if (event_.seq != seq) broke(where, run.id, seq, "holds event #" + std::to_string(event_.seq));
    const auto* opened = std::get_if<ev::CaseOpened>(&event_.payload);
    if (seq == 1) {
      if (opened == nullptr) {
        broke(where, run.id, seq,
              "the first event is " + std::string(event_type_name(event_type(event_.payload))));
      } else if (opened->case_id != run.id) {
        broke(where, run.id, seq, "opens case " + opened->case_id);
      }
    }
    if (run.decoded++ == 0 && opened != nullptr) run.opened = *opened;
    run.erased = run.erased || event_type(event_.payload) == EventType::kPersonalDataErased;
    if (run.all_decoded && !run.replay_failed) {
      if (auto applied = apply(run.replayed, event_); !applied) {
        run.replay_failed = applied.error().message;
      }
    }
  }

  // The event's place in the log must name it, with its hash.
  void log_entry_of(const std::string& case_id, std::uint64_t seq, const event_record::Parts& parts,
                    const std::string& where) {
    const auto value = get(layout::kLog, layout::log_key(parts.position));
    if (!value) {
      broke(where, case_id, seq,
            "its log position " + std::to_string(parts.position) + " holds no entry");
      return;
    }
    const auto entry = event_record::decode_log(*value);
    if (!entry) return;  // the log pass reports it
    if (entry->case_id != case_id || entry->seq != seq) {
      broke(where, case_id, seq,
            "its log position " + std::to_string(parts.position) + " names " + entry->case_id +
                "#" + std::to_string(entry->seq));
    } else if (entry->hash != parts.hash) {
      broke(where, case_id, seq,
            "its log position " + std::to_string(parts.position) + " has hash " +
                short_hash(entry->hash) + ", not this event's " + short_hash(parts.hash));
    }
  }

  void finish_case(CaseRun& run) {
    if (run.id.empty()) return;
    personal_of(run);
    const std::string where = "cases/" + run.id;
    const auto text = get(layout::kCases, run.id);
    if (!text) {
      broke(where, run.id, 0, "missing: the case has events but no snapshot");
      return;
    }
    ++report_.snapshots;
    const auto snapshot = read_case_text(*text);
    if (!snapshot) return broke(where, run.id, 0, snapshot.error().message);
    lists_of(*snapshot);
    if (!run.all_decoded) return;  // the breaks above say why no replay can be compared
    if (run.replay_failed) {
      return broke(where, run.id, 0, "its events do not replay: " + *run.replay_failed);
    }
    if (!(run.replayed == *snapshot)) {
      broke(where, run.id, 0,
            "the snapshot differs from the replay of its " + std::to_string(run.decoded) +
                " events in " + differences(*snapshot, run.replayed));
    }
    timers_of(run.replayed);
  }

  // Every deadline the case's state runs has its timeout stored, both in the
  // case's list and where the engine finds the timers due: without it the
  // deadline would pass and nothing would escalate. (Warnings are not
  // checked: when one is due depends on the workflow, which audit does not read.)
  void timers_of(const CaseState& replayed) {
    const auto running = running_deadlines(replayed);
    if (running.empty()) return;
    const std::string where = "timers/" + replayed.id;
    std::vector<PendingTimer> listed;
    if (const auto text = get(layout::kTimers, layout::case_timers_key(replayed.id))) {
      auto read = store_records::timers_from_text(*text, where);
      if (!read) return broke(where, replayed.id, 0, "the case's timer list cannot be read: " + read.error().message);
      listed = std::move(*read);
    }
    for (const auto& deadline : running) {
      const std::string what = std::string(to_string(deadline.kind)) + " deadline " + format_time(deadline.due);
      const auto found = std::find_if(listed.begin(), listed.end(), [&](const PendingTimer& t) {
        return !t.warning && t.deadline.kind == deadline.kind && t.deadline.due == deadline.due;
      });
      if (found == listed.end()) {
        broke(where, replayed.id, 0, "missing: the case's " + what + " runs, but no timer is stored for it: it would never fire");
      } else if (!get(layout::kTimers, layout::timer_key(*found))) {
        broke(where, replayed.id, 0, "the case lists a timer for its " + what +
                                         ", but it is not stored where due timers are found: it would never fire");
      } else {
        ++report_.timers;
      }
    }
  }

  // The case must be on every list its snapshot puts it on (case_lists.hpp).
  void lists_of(const CaseState& snapshot) {
    for (const auto& entry : case_list_entries(snapshot)) {
      if (get(layout::kIndex, entry)) {
        ++report_.list_entries;
      } else {
        broke("index/" + printable(entry), snapshot.id, 0,
              "missing: the snapshot puts the case on this list, but the list does not hold it");
      }
    }
  }

  // Every list entry was found from a snapshot, so the lists hold exactly what
  // the snapshots put on them when their counts agree; otherwise each entry
  // no snapshot asks for is named.
  void lists_pass() {
    std::uint64_t held = 0;
    std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(rocksdb::ReadOptions(), family(layout::kIndex)));
    for (it->Seek(layout::kListPrefix); it->Valid() && it->key().starts_with(layout::kListPrefix); it->Next()) ++held;
    if (!it->status().ok()) return broke("index", "", 0, "cannot be read: " + it->status().ToString());
    if (held == report_.list_entries) return;
    for (it->Seek(layout::kListPrefix); it->Valid() && it->key().starts_with(layout::kListPrefix); it->Next()) {
      const std::string key = it->key().ToString();
      const auto slash = key.find('/', layout::kListPrefix.size());
      const auto nul = key.find('\0');
      if (slash == std::string::npos || nul == std::string::npos || nul < slash) {
        broke("index/" + printable(key), "", 0, "not a case list entry");
        continue;
      }
      const std::string list = key.substr(layout::kListPrefix.size(), slash - layout::kListPrefix.size());
      const std::string id(layout::list_case_id(list, std::string_view(key).substr(nul + 1)));
      const auto text = get(layout::kCases, id);
      const auto snapshot = text ? read_case_text(*text) : Result<CaseState>(fail(ErrorCode::kNotFound, ""));
      const auto entries = snapshot ? case_list_entries(*snapshot) : std::vector<std::string>();
      if (!std::binary_search(entries.begin(), entries.end(), key)) {
        broke("index/" + printable(key), id, 0, "the case is on this list, but its snapshot does not put it there");
      }
    }
  }

  void resealed_from() {
    const auto text = get(layout::kMeta, std::string(layout::kResealedFromKey));
    if (!text) return;
    const auto json = nlohmann::json::parse(*text, nullptr, false);
    if (json.is_object() && json.value("log_position", nlohmann::json()).is_number_unsigned() &&
        json.value("log_hash", nlohmann::json()).is_string()) {
      report_.resealed_log_position = json["log_position"].get<std::uint64_t>();
      report_.resealed_log_hash = json["log_hash"].get<std::string>();
    } else {
      broke("meta/resealed_from", "", 0, "not a record of the log sealed again");
    }
  }

  // The case's personal record must match the commitments of its CaseOpened,
  // and be there unless the history says it was erased.
  void personal_of(const CaseRun& run) {
    const std::string where = "personal/" + run.id;
    const auto record = get(layout::kPersonal, run.id);
    const auto* opened = run.opened ? &*run.opened : nullptr;
    if (record) ++report_.personal_records;
    if (opened == nullptr) return;  // the events pass has reported why
    if (record) {
      auto joined_copy =
          *opened;  // the snapshot, compared with the replay next, holds no values either
      if (auto joined = personal_data::join(*record, joined_copy); !joined) {
        broke(where, run.id, 1, joined.error().message);
      }
      return;
    }
    const bool committed = !(opened->commitments == PersonalFields{});
    if (committed && !run.erased) {
      broke(where, run.id, 1,
            "missing: the history commits to personal data and does not say it was erased");
    }
  }

  void snapshots_pass() {
    std::unique_ptr<rocksdb::Iterator> it(
        db_.NewIterator(rocksdb::ReadOptions(), family(layout::kCases)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      const std::string id = it->key().ToString();
      if (!seen_.contains(id))
        broke("cases/" + printable(id), id, 0, "a snapshot of a case with no events");
    }
    if (!it->status().ok()) broke("cases", "", 0, "cannot be read: " + it->status().ToString());
    std::unique_ptr<rocksdb::Iterator> personal(
        db_.NewIterator(rocksdb::ReadOptions(), family(layout::kPersonal)));
    for (personal->SeekToFirst(); personal->Valid(); personal->Next()) {
      const std::string id = personal->key().ToString();
      if (!seen_.contains(id))
        broke("personal/" + printable(id), id, 0, "a personal record of a case with no events");
    }
    if (!personal->status().ok())
      broke("personal", "", 0, "cannot be read: " + personal->status().ToString());
  }

  // The access log: positions from 1 without a gap, each record's hash over
  // its bytes, and each record's prev_hash the hash of the one before.
  void access_pass() {
    std::uint64_t expected = 1;
    std::string before(kAccessGenesisHash);
    std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(rocksdb::ReadOptions(), family(layout::kAccess)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      const auto position = layout::read_big_endian(it->key().ToStringView());
      const std::string where = "access/" + (position ? std::to_string(*position) : printable(it->key().ToStringView()));
      if (!position) {
        broke(where, "", 0, "not an access log key");
        continue;
      }
      ++report_.access_records;
      if (*position != expected) {
        broke(where, "", 0, "positions " + std::to_string(expected) + " to " + std::to_string(*position - 1) +
                                " before it are missing");
      }
      expected = *position + 1;
      auto record = parse_access_record(it->value().ToStringView());
      if (!record) {
        broke(where, "", 0, record.error().message);
        before.clear();
        continue;
      }
      if (record->position != *position) {
        broke(where, record->case_id, 0, "says it is at position " + std::to_string(record->position));
      }
      if (record->prev_hash != before) {
        broke(where, record->case_id, 0,
              "prev_hash " + short_hash(record->prev_hash) + " is not the hash of the record before it");
      }
      if (const auto hash = access_record_hash(*record); hash != record->hash) {
        broke(where, record->case_id, 0,
              "hash " + short_hash(record->hash) + " does not match its bytes, which hash to " + short_hash(hash));
      }
      before = record->hash;
      report_.access_position = *position;
      report_.access_hash = record->hash;
    }
    if (!it->status().ok()) broke("access", "", 0, "cannot be read: " + it->status().ToString());
  }

  void log_pass() {
    std::uint64_t expected = 1;
    std::string log_hash(kGenesisHash);
    bool chain_known = true;
    std::unique_ptr<rocksdb::Iterator> it(
        db_.NewIterator(rocksdb::ReadOptions(), family(layout::kLog)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      const auto position = layout::read_big_endian(it->key().ToStringView());
      const std::string where =
          "log/" + (position ? std::to_string(*position) : printable(it->key().ToStringView()));
      if (!position) {
        broke(where, "", 0, "not a log key");
        continue;
      }
      ++report_.log_entries;
      if (*position != expected) {
        broke(where, "", 0,
              "positions " + std::to_string(expected) + " to " + std::to_string(*position - 1) +
                  " before it are missing");
        chain_known = false;
      }
      expected = *position + 1;
      auto entry = event_record::decode_log(it->value().ToStringView());
      if (!entry) {
        broke(where, "", 0, entry.error().message);
        chain_known = false;
        continue;
      }
      if (chain_known &&
          event_record::next_log_hash(log_hash, entry->hash).value_or("") != entry->log_hash) {
        broke(where, entry->case_id, entry->seq,
              "log_hash " + short_hash(entry->log_hash) +
                  " does not follow from the entry before it and the event's hash");
      }
      log_hash = entry->log_hash;
      chain_known = true;
      report_.log_position = *position;
      report_.log_hash = log_hash;
      if (sums_) {
        sums_->add_log_entry(*position, entry->case_id, entry->seq, entry->hash);
        continue;
      }
      const auto named = get(layout::kEvents, layout::event_key(entry->case_id, entry->seq));
      const std::string event = entry->case_id + "#" + std::to_string(entry->seq);
      if (!named) {
        broke(where, entry->case_id, entry->seq, "names " + event + ", which is not stored");
      } else if (const auto parts = event_record::split(*named);
                 parts && parts->position != *position) {
        broke(where, entry->case_id, entry->seq,
              "names " + event + ", which is at position " + std::to_string(parts->position));
      }
    }
    if (!it->status().ok()) broke("log", "", 0, "cannot be read: " + it->status().ToString());
  }

  rocksdb::DB& db_;
  const std::vector<rocksdb::ColumnFamilyHandle*>& handles_;
  std::optional<LogMatch> sums_;          // none: each event and log entry is looked up
  const Progress& progress_;
  std::unordered_set<std::string> seen_;  // cases with events
  Event event_;                           // the event being read, over the one before
  AuditReport report_;
};

// Audits a store's records as the opened instance sees them.
Result<AuditReport> audit_opened(OpenedDb& opened, const Progress& progress) {
  if (auto report = Auditor(opened, LogMatch::keyed(), progress).run()) return std::move(*report);
  return *Auditor(opened, std::nullopt, progress).run();
}

}  // namespace

Result<AuditReport> audit_store(const std::filesystem::path& data, const Progress& progress) {
  DurableStoreOptions options;
  options.path = data;
  options.create_if_missing = false;
  auto opened = open_rocks_db(options, nullptr);
  if (!opened && in_use_elsewhere(opened.error())) {
    // A running service has it: audit what it had written, beside it.
    options.read_only = true;
    auto beside = open_rocks_db(options, nullptr);
    if (!beside) return tl::unexpected(beside.error());
    if (auto current = store_format::check_current(*beside->db, beside->handles, data); !current) {
      return tl::unexpected(current.error());
    }
    return audit_opened(*beside, progress);
  }
  if (!opened) return tl::unexpected(opened.error());
  if (auto current = store_format::bring_up_to_date(*opened->db, opened->handles, data); !current) {
    return tl::unexpected(current.error());
  }
  return audit_opened(*opened, progress);
}

}  // namespace escalator

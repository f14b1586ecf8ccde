#include "store_format.hpp"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>

#include "escalator/lifecycle/history.hpp"
#include "escalator/store/store.hpp"
#include "event_json.hpp"
#include "event_record.hpp"
#include "personal_data.hpp"
#include "rocks_support.hpp"
#include "store_layout.hpp"

namespace escalator::store_format {
namespace {

namespace layout = store_layout;

class Store {
 public:
  Store(rocksdb::DB& db, const std::vector<rocksdb::ColumnFamilyHandle*>& handles) : db_(db), handles_(handles) {}

  rocksdb::ColumnFamilyHandle* family(layout::Family f) const { return handles_[1 + f]; }
  rocksdb::DB& db() { return db_; }

  Result<void> put_meta(std::string_view key, std::string_view value) {
    rocksdb::WriteOptions sync;
    sync.sync = true;
    const auto status = db_.Put(sync, family(layout::kMeta), key, value);
    if (!status.ok()) return tl::unexpected(status_error(status, "meta/" + std::string(key)));
    return {};
  }
  Result<void> delete_meta(std::string_view key) {
    rocksdb::WriteOptions sync;
    sync.sync = true;
    const auto status = db_.Delete(sync, family(layout::kMeta), key);
    if (!status.ok()) return tl::unexpected(status_error(status, "meta/" + std::string(key)));
    return {};
  }
  bool has_meta(std::string_view key) {
    std::string ignored;
    return db_.Get(rocksdb::ReadOptions(), family(layout::kMeta), key, &ignored).ok();
  }
  Result<void> write(rocksdb::WriteBatch& batch) {
    rocksdb::WriteOptions sync;
    sync.sync = true;
    const auto status = db_.Write(sync, &batch);
    batch.Clear();
    if (!status.ok()) return tl::unexpected(status_error(status, "store: sealing the history"));
    return {};
  }

 private:
  rocksdb::DB& db_;
  const std::vector<rocksdb::ColumnFamilyHandle*>& handles_;
};

// Positions for the events stored before the chain: the order their commands
// were committed in, which the outbox kept (one record per command). Index seq - 1.
Result<std::unordered_map<std::string, std::vector<std::uint64_t>>> positions_from_outbox(Store& store,
                                                                                          std::uint64_t& last) {
  std::unordered_map<std::string, std::vector<std::uint64_t>> positions;
  std::unique_ptr<rocksdb::Iterator> it(store.db().NewIterator(rocksdb::ReadOptions(), store.family(layout::kOutbox)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const auto record = nlohmann::json::parse(it->value().ToStringView(), nullptr, false);
    if (record.is_discarded() || !record.is_object() || !record.value("case_id", nlohmann::json()).is_string() ||
        !record.value("first_seq", nlohmann::json()).is_number_unsigned() ||
        !record.value("last_seq", nlohmann::json()).is_number_unsigned()) {
      return fail(ErrorCode::kDataLoss, "outbox/" + printable(it->key().ToStringView()) + ": not an outbox record");
    }
    auto& of_case = positions[record["case_id"].get<std::string>()];
    const auto last_seq = record["last_seq"].get<std::uint64_t>();
    for (auto seq = record["first_seq"].get<std::uint64_t>(); seq >= 1 && seq <= last_seq; ++seq) {
      if (of_case.size() < seq) of_case.resize(seq, 0);
      if (of_case[seq - 1] == 0) of_case[seq - 1] = ++last;
    }
  }
  if (!it->status().ok()) return tl::unexpected(status_error(it->status(), "outbox"));
  return positions;
}

// "personal" with no commitments, as the reader wants it before they are made.
nlohmann::ordered_json no_commitments() {
  nlohmann::ordered_json personal = nlohmann::ordered_json::object();
  const ev::CaseOpened blank;
  personal_data::each_field(blank, [&](const char* name, auto&&...) { personal[name] = ""; });
  return personal;
}

// An event as stored by any format. A CaseOpened written before format 4
// holds the personal values in the event itself: they are taken out, given
// fresh salts and commitments, and their record is left in `personal_record`.
// The readers skip members they do not know, so the old ones need no removing.
Result<Event> decode_moving_personal_data(std::string_view value, std::string& personal_record) {
  const auto parts = event_record::split(value);
  auto json = nlohmann::ordered_json::parse(parts ? parts->canonical : value, nullptr, false);
  if (json.is_discarded() || !json.is_object()) return fail(ErrorCode::kDataLoss, "not JSON");
  if (!parts && json.contains("event")) return fail(ErrorCode::kDataLoss, "not an event record");
  auto* data = json.contains("data") && json["data"].is_object() ? &json["data"] : nullptr;
  const bool before_personal = json.value("type", "") == "CaseOpened" && data != nullptr && !data->contains("personal");
  if (!before_personal) return event_record::decode(value, true);

  (*data)["personal"] = no_commitments();
  auto event = event_from_json(json);
  if (!event) return event;
  // The text at a path of members under "data"; empty where there is none.
  const auto text = [&](std::initializer_list<const char*> path) {
    const nlohmann::ordered_json* at = data;
    for (const char* key : path) {
      if (!at->is_object() || !at->contains(key)) return std::string();
      at = &(*at)[key];
    }
    return at->is_string() ? at->get<std::string>() : std::string();
  };
  auto& opened = std::get<ev::CaseOpened>(event->payload);
  opened.reporter = {text({"reporter", "name"}), text({"reporter", "phone"}), text({"reporter", "account"})};
  opened.content = text({"content"});
  opened.location.address = text({"location", "address"});
  if (auto committed = commit_personal_data(opened); !committed) return tl::unexpected(committed.error());
  personal_record = personal_data::encode(opened);
  return event;
}

// A snapshot written before format 5 has no `duplicates`: no case was merged
// into another with a record of it on both sides.
void add_members_of_format_5(nlohmann::ordered_json& snapshot) {
  if (!snapshot.contains("duplicates")) snapshot["duplicates"] = nlohmann::ordered_json::array();
}

// Writes every snapshot again with the members format 5 added, in the
// writer's order. One that cannot be read is left as it is, for the audit.
Result<void> add_members_of_format_5(Store& store) {
  rocksdb::WriteBatch batch;
  std::unique_ptr<rocksdb::Iterator> it(store.db().NewIterator(rocksdb::ReadOptions(), store.family(layout::kCases)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    auto json = nlohmann::ordered_json::parse(it->value().ToStringView(), nullptr, false);
    if (json.is_discarded() || !json.is_object() || json.contains("duplicates")) continue;
    add_members_of_format_5(json);
    auto snapshot = case_from_json(json);
    if (!snapshot) continue;
    batch.Put(store.family(layout::kCases), it->key(), case_json_text(*snapshot));
    if (batch.Count() >= 1000) {
      if (auto written = store.write(batch); !written) return written;
    }
  }
  if (!it->status().ok()) return tl::unexpected(status_error(it->status(), "cases"));
  return store.write(batch);
}

// Puts every case on the lists format 10 added (case_lists.hpp), as its
// snapshot says. One that cannot be read is left off, for the audit.
Result<void> list_every_case(Store& store) {
  rocksdb::WriteBatch batch;
  std::unique_ptr<rocksdb::Iterator> it(store.db().NewIterator(rocksdb::ReadOptions(), store.family(layout::kCases)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    auto snapshot = read_case_text(it->value().ToStringView());
    if (!snapshot) continue;
    for (const auto& entry : case_list_entries(*snapshot)) batch.Put(store.family(layout::kIndex), entry, "");
    if (batch.Count() >= 1000) {
      if (auto written = store.write(batch); !written) return written;
    }
  }
  if (!it->status().ok()) return tl::unexpected(status_error(it->status(), "cases"));
  return store.write(batch);
}

// A snapshot written before format 4 holds the personal values too: written
// again, it holds the commitments of the case's CaseOpened instead. A snapshot
// that cannot be read is left as it is, for the audit to report.
void move_personal_data_out_of_snapshot(Store& store, rocksdb::WriteBatch& batch, const std::string& case_id,
                                        const PersonalFields& commitments) {
  std::string text;
  if (!store.db().Get(rocksdb::ReadOptions(), store.family(layout::kCases), case_id, &text).ok()) return;
  auto json = nlohmann::ordered_json::parse(text, nullptr, false);
  if (json.is_discarded() || !json.is_object() || json.contains("personal")) return;
  json["personal"] = no_commitments();
  add_members_of_format_5(json);
  auto snapshot = case_from_json(json);
  if (!snapshot) return;
  snapshot->personal = commitments;
  batch.Put(store.family(layout::kCases), case_id, case_json_text(*snapshot));
}

// Before format 4 seals a format 3 history again, that history must verify:
// resealing what was tampered with would hide it. Every case's chain over its
// bytes as stored and the log's chain of hashes are checked; what the old log
// committed to is kept in meta/resealed_from for an auditor who wrote it down.
Result<void> verify_before_resealing(Store& store) {
  std::vector<std::string> hash_at;  // by position - 1
  std::string case_id, prev_hash;
  std::unique_ptr<rocksdb::Iterator> it(store.db().NewIterator(rocksdb::ReadOptions(), store.family(layout::kEvents)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const std::string key = it->key().ToString();
    const std::string where = "events/" + printable(key);
    const auto parts = event_record::split(it->value().ToStringView());
    if (!parts) return fail(ErrorCode::kDataLoss, where + ": not an event record of format 3");
    const std::string of_case = key.substr(0, key.find('\0'));
    if (of_case != case_id) {
      case_id = of_case;
      prev_hash = kGenesisHash;
    }
    if (parts->prev_hash != prev_hash || chained_hash(parts->prev_hash, parts->canonical).value_or("") != parts->hash) {
      return fail(ErrorCode::kDataLoss, where + ": its hash does not verify");
    }
    prev_hash = std::string(parts->hash);
    if (hash_at.size() < parts->position) hash_at.resize(parts->position);
    hash_at[parts->position - 1] = prev_hash;
  }
  if (!it->status().ok()) return tl::unexpected(status_error(it->status(), "events"));
  std::string log_hash(kGenesisHash);
  std::uint64_t position = 0;
  std::unique_ptr<rocksdb::Iterator> log(store.db().NewIterator(rocksdb::ReadOptions(), store.family(layout::kLog)));
  for (log->SeekToFirst(); log->Valid(); log->Next()) {
    ++position;
    const auto entry = event_record::decode_log(log->value().ToStringView());
    const bool follows = entry && layout::read_big_endian(log->key().ToStringView()) == position &&
                         position <= hash_at.size() && entry->hash == hash_at[position - 1] &&
                         event_record::next_log_hash(log_hash, entry->hash).value_or("") == entry->log_hash;
    if (!follows) return fail(ErrorCode::kDataLoss, "log/" + std::to_string(position) + ": does not verify");
    log_hash = entry->log_hash;
  }
  if (!log->status().ok()) return tl::unexpected(status_error(log->status(), "log"));
  if (position != hash_at.size()) return fail(ErrorCode::kDataLoss, "log: holds " + std::to_string(position) +
                                                                     " entries for " + std::to_string(hash_at.size()) + " positions");
  const nlohmann::ordered_json resealed = {{"format", 3}, {"log_hash", log_hash}, {"log_position", position}};
  return store.put_meta(layout::kResealedFromKey, resealed.dump());
}

// Format 4 seals the history: each event of formats 1 to 3 is written again
// with its hashes and a position, personal data moves out of CaseOpened into
// the personal family, and the log is built. Every step can run again after
// a crash: an event already moved is written again with the same bytes (its
// personal record went in the same batch), the hashes follow from the events,
// and the positions from the outbox.
Result<void> seal_history(Store& store) {
  std::uint64_t last_position = 0;
  auto positions = positions_from_outbox(store, last_position);
  if (!positions) return tl::unexpected(positions.error());
  std::vector<event_record::LogEntry> log(last_position);

  rocksdb::WriteBatch batch;
  std::string case_id;
  std::string prev_hash;
  PersonalFields commitments;  // of the case's CaseOpened
  std::unique_ptr<rocksdb::Iterator> it(store.db().NewIterator(rocksdb::ReadOptions(), store.family(layout::kEvents)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const std::string key = it->key().ToString();
    const auto nul = key.find('\0');
    const std::string where = "events/" + printable(key);
    const auto seq_of_key = nul == std::string::npos ? std::nullopt : layout::event_seq(key, key.substr(0, nul));
    if (!seq_of_key) return fail(ErrorCode::kDataLoss, where + ": not an event key");
    const std::uint64_t seq = *seq_of_key;
    if (key.substr(0, nul) != case_id) {
      if (!case_id.empty()) move_personal_data_out_of_snapshot(store, batch, case_id, commitments);
      case_id = key.substr(0, nul);
      prev_hash = kGenesisHash;
      commitments = {};
    }
    std::string personal_record;
    auto event = decode_moving_personal_data(it->value().ToStringView(), personal_record);
    if (!event) return fail(ErrorCode::kDataLoss, where + ": " + event.error().message);
    if (!personal_record.empty()) batch.Put(store.family(layout::kPersonal), case_id, personal_record);
    if (const auto* opened = std::get_if<ev::CaseOpened>(&event->payload)) commitments = opened->commitments;
    if (auto sealed = seal(*event, prev_hash); !sealed) return fail(ErrorCode::kDataLoss, where + ": " + sealed.error().message);
    prev_hash = event->hash;
    auto& of_case = (*positions)[case_id];
    std::uint64_t position = seq <= of_case.size() ? of_case[seq - 1] : 0;
    if (position == 0) {  // not in the outbox: after everything that is
      position = log.size() + 1;
      log.emplace_back();
    }
    log[position - 1] = {case_id, seq, event->hash, {}};
    auto canonical = canonical_bytes(*event);
    if (!canonical) return fail(ErrorCode::kDataLoss, where + ": " + canonical.error().message);
    batch.Put(store.family(layout::kEvents), key, event_record::encode(*canonical, event->hash, position, event->prev_hash));
    if (batch.Count() >= 1000) {
      if (auto written = store.write(batch); !written) return written;
    }
  }
  if (!it->status().ok()) return tl::unexpected(status_error(it->status(), "events"));
  if (!case_id.empty()) move_personal_data_out_of_snapshot(store, batch, case_id, commitments);

  std::string log_hash(kGenesisHash);
  for (std::size_t i = 0; i < log.size(); ++i) {
    if (log[i].case_id.empty()) {
      return fail(ErrorCode::kDataLoss, "outbox: a record names event " + std::to_string(i + 1) +
                                            " of the log, which no stored event is");
    }
    auto next = event_record::next_log_hash(log_hash, log[i].hash);
    if (!next) return tl::unexpected(next.error());
    log_hash = *next;
    log[i].log_hash = log_hash;
    batch.Put(store.family(layout::kLog), layout::log_key(i + 1), event_record::encode_log(log[i]));
    if (batch.Count() >= 1000) {
      if (auto written = store.write(batch); !written) return written;
    }
  }
  return store.write(batch);
}

}  // namespace

Result<void> compact_all(rocksdb::DB& db, const std::vector<rocksdb::ColumnFamilyHandle*>& handles) {
  rocksdb::FlushOptions flush;
  std::vector<rocksdb::ColumnFamilyHandle*> families(handles.begin(), handles.end());
  if (auto status = db.Flush(flush, families); !status.ok()) return tl::unexpected(status_error(status, "store: flushing"));
  rocksdb::CompactRangeOptions compact;
  compact.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  for (auto* family : families) {
    if (auto status = db.CompactRange(compact, family, nullptr, nullptr); !status.ok()) {
      return tl::unexpected(status_error(status, "store: compacting " + family->GetName()));
    }
  }
  return {};
}

namespace {

// The store's recorded format; none in a new store. kDataLoss when the record
// is not a number, or missing from a store that holds events.
Result<std::optional<int>> recorded_format(Store& store, rocksdb::DB& db, const std::filesystem::path& path) {
  std::string text;
  const std::string key(layout::kFormatVersionKey);
  auto status = db.Get(rocksdb::ReadOptions(), store.family(layout::kMeta), key, &text);
  if (status.IsNotFound()) {
    std::unique_ptr<rocksdb::Iterator> any(db.NewIterator(rocksdb::ReadOptions(), store.family(layout::kEvents)));
    any->SeekToFirst();
    if (any->Valid()) {
      return fail(ErrorCode::kDataLoss,
                  "store at " + path.string() + ": meta/" + key + " is missing, but the store holds events");
    }
    return std::optional<int>();
  }
  if (!status.ok()) return tl::unexpected(status_error(status, "store at " + path.string() + ": meta/" + key));
  try {
    std::size_t used = 0;
    const int version = std::stoi(text, &used);
    if (used != text.size()) throw std::invalid_argument(text);
    return std::optional<int>(version);
  } catch (const std::exception&) {
    return fail(ErrorCode::kDataLoss,
                "store at " + path.string() + ": meta/" + key + " should be a number, found '" + printable(text) + "'");
  }
}

}  // namespace

Result<void> check_current(rocksdb::DB& db, const std::vector<rocksdb::ColumnFamilyHandle*>& handles,
                           const std::filesystem::path& path) {
  Store store(db, handles);
  auto recorded = recorded_format(store, db, path);
  if (!recorded) return tl::unexpected(recorded.error());
  if (*recorded == kStoreFormatVersion) return {};
  return fail(ErrorCode::kFailedPrecondition,
              "store at " + path.string() + " has " +
                  (*recorded ? "format " + std::to_string(**recorded) : std::string("no format recorded")) +
                  ", and a reader beside its writer upgrades nothing: it reads format " +
                  std::to_string(kStoreFormatVersion) + " only. Once the service (or any command that writes) has "
                  "opened it, it is of this format");
}

Result<void> bring_up_to_date(rocksdb::DB& db, const std::vector<rocksdb::ColumnFamilyHandle*>& handles,
                              const std::filesystem::path& path) {
  Store store(db, handles);
  auto recorded = recorded_format(store, db, path);
  if (!recorded) return tl::unexpected(recorded.error());
  if (!*recorded) return store.put_meta(std::string(layout::kFormatVersionKey), std::to_string(kStoreFormatVersion));
  const int version = **recorded;
  if (version > kStoreFormatVersion) {
    return fail(ErrorCode::kFailedPrecondition,
                "store at " + path.string() + " has format " + std::to_string(version) +
                    ", but this escalator reads formats up to " + std::to_string(kStoreFormatVersion) +
                    "; open it with a newer escalator");
  }
  if (version < kStoreFormatVersion) {
    // Verified before anything changes: a format 3 store that does not verify
    // is left as it is, for the release that wrote it to audit. (One still
    // sealing what formats 1 and 2 wrote has nothing sealed to verify.)
    if (version == 3 && !store.has_meta(layout::kSealingFromKey)) {
      if (auto verified = verify_before_resealing(store); !verified) {
        return fail(verified.error().code, "store at " + path.string() +
                                               ": the history written in format 3 does not verify, so it is not "
                                               "sealed again for format 4: " + verified.error().message);
      }
    }
    // The new number goes first, so that an older escalator refuses the store
    // from here on: format 1 would write timers below format 2's low-water
    // mark, where no scan looks, formats 1 to 3 would write personal data
    // into the history, format 4 would not read a DuplicateMergedIn,
    // format 5 would neither read a ParkedForDispatcher nor open the `org`
    // family, format 6 would read neither a step that nobody holds nor a
    // CaseLocated, format 7 would not count its writes in `stats`, format 8
    // would not read a CaseDiscussed, nor count a group's pending counts,
    // format 9 would not keep the case lists, format 10 would read neither a
    // CaseReturnedToOwner nor the state it leaves, nor a CoHandlersAdded,
    // format 11 would not read an AnswerRelayed, format 12 would renumber the
    // workflows and lose the versions uploaded into the `workflows` family,
    // format 13 would neither read a pending count that names its cases nor
    // keep the cases behind the counts, format 14 would not open the
    // `access` family, and so not keep the access log.
    if (version < 4 && !store.has_meta(layout::kSealingFromKey)) {
      if (auto marked = store.put_meta(layout::kSealingFromKey, std::to_string(version)); !marked) return marked;
    }
    if (version < 5 && !store.has_meta(layout::kSnapshotsFromKey)) {
      if (auto marked = store.put_meta(layout::kSnapshotsFromKey, std::to_string(version)); !marked) return marked;
    }
    if (version < 10 && !store.has_meta(layout::kListsFromKey)) {
      if (auto marked = store.put_meta(layout::kListsFromKey, std::to_string(version)); !marked) return marked;
    }
    // Before format 14 no case was kept behind the counts: with no stamp,
    // the engine recounts when it opens the store, and the recount keeps them.
    if (version < 14) {
      if (auto unstamped = store.delete_meta(layout::kStatsStampKey); !unstamped) return unstamped;
    }
    if (auto upgraded = store.put_meta(std::string(layout::kFormatVersionKey), std::to_string(kStoreFormatVersion)); !upgraded) return upgraded;
  }
  if (store.has_meta(layout::kSealingFromKey)) {
    if (auto sealed = seal_history(store); !sealed) {
      return fail(sealed.error().code, "store at " + path.string() + ": upgrading to format 4: " + sealed.error().message);
    }
    // The values the events held before are overwritten, not yet gone from the files.
    if (auto compacted = compact_all(db, handles); !compacted) return compacted;
    if (auto done = store.delete_meta(layout::kSealingFromKey); !done) return done;
  }
  if (store.has_meta(layout::kSnapshotsFromKey)) {
    if (auto added = add_members_of_format_5(store); !added) {
      return fail(added.error().code, "store at " + path.string() + ": upgrading to format 5: " + added.error().message);
    }
    if (auto done = store.delete_meta(layout::kSnapshotsFromKey); !done) return done;
  }
  if (store.has_meta(layout::kListsFromKey)) {
    if (auto listed = list_every_case(store); !listed) {
      return fail(listed.error().code, "store at " + path.string() + ": upgrading to format 10: " + listed.error().message);
    }
    return store.delete_meta(layout::kListsFromKey);
  }
  return {};
}

}  // namespace escalator::store_format

#include "store_format.hpp"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>

#include "escalator/history.hpp"
#include "escalator/store.hpp"
#include "event_record.hpp"
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

// Format 3 seals the history: each event of formats 1 and 2 is written again
// with its hashes and a position, and the log is built. Every step can run
// again after a crash and writes the same bytes: the hashes follow from the
// events, and the positions from the outbox.
Result<void> seal_history(Store& store) {
  std::uint64_t last_position = 0;
  auto positions = positions_from_outbox(store, last_position);
  if (!positions) return tl::unexpected(positions.error());
  std::vector<event_record::LogEntry> log(last_position);

  rocksdb::WriteBatch batch;
  std::string case_id;
  std::string prev_hash;
  std::unique_ptr<rocksdb::Iterator> it(store.db().NewIterator(rocksdb::ReadOptions(), store.family(layout::kEvents)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const std::string key = it->key().ToString();
    const auto nul = key.find('\0');
    const std::string where = "events/" + printable(key);
    const auto seq_of_key = nul == std::string::npos ? std::nullopt : layout::event_seq(key, key.substr(0, nul));
    if (!seq_of_key) return fail(ErrorCode::kDataLoss, where + ": not an event key");
    const std::uint64_t seq = *seq_of_key;
    if (key.substr(0, nul) != case_id) {
      case_id = key.substr(0, nul);
      prev_hash = kGenesisHash;
    }
    auto event = event_record::decode(it->value().ToStringView(), true);
    if (!event) return fail(ErrorCode::kDataLoss, where + ": " + event.error().message);
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

Result<void> bring_up_to_date(rocksdb::DB& db, const std::vector<rocksdb::ColumnFamilyHandle*>& handles,
                              const std::filesystem::path& path) {
  Store store(db, handles);
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
    return store.put_meta(key, std::to_string(kStoreFormatVersion));
  }
  if (!status.ok()) return tl::unexpected(status_error(status, "store at " + path.string() + ": meta/" + key));
  int version = 0;
  try {
    std::size_t used = 0;
    version = std::stoi(text, &used);
    if (used != text.size()) throw std::invalid_argument(text);
  } catch (const std::exception&) {
    return fail(ErrorCode::kDataLoss,
                "store at " + path.string() + ": meta/" + key + " should be a number, found '" + printable(text) + "'");
  }
  if (version > kStoreFormatVersion) {
    return fail(ErrorCode::kFailedPrecondition,
                "store at " + path.string() + " has format " + std::to_string(version) +
                    ", but this escalator reads formats up to " + std::to_string(kStoreFormatVersion) +
                    "; open it with a newer escalator");
  }
  if (version < kStoreFormatVersion) {
    // The new number goes first, so that an older escalator refuses the store
    // from here on: format 1 would write timers below format 2's low-water
    // mark, where no scan looks, and formats 1 and 2 would write unsealed events.
    if (version < 3) {
      if (auto marked = store.put_meta(layout::kSealingFromKey, std::to_string(version)); !marked) return marked;
    }
    if (auto upgraded = store.put_meta(key, std::to_string(kStoreFormatVersion)); !upgraded) return upgraded;
  }
  if (store.has_meta(layout::kSealingFromKey)) {
    if (auto sealed = seal_history(store); !sealed) {
      return fail(sealed.error().code, "store at " + path.string() + ": upgrading to format 3: " + sealed.error().message);
    }
    return store.delete_meta(layout::kSealingFromKey);
  }
  return {};
}

}  // namespace escalator::store_format

// Records the durable store keeps one per version, versions 1, 2, … without
// gaps, each under a prefix and its version (8 bytes, big-endian): calendar
// imports (meta/calendar_import/), org directory versions (org/import/) and
// workflow changes (workflows/change/).
#pragma once

#include <rocksdb/db.h>

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "rocks_support.hpp"
#include "store_layout.hpp"

namespace escalator::store_versions {

inline std::string key(std::string_view prefix, std::uint64_t version) {
  std::string k(prefix);
  store_layout::put_big_endian(k, version);
  return k;
}

// The Record `fill(json, record)` makes of `value` read as JSON; kDataLoss
// naming `where` for a value that is not JSON or lacks what `fill` reads
// (nlohmann's at() and get() throw).
template <class Record, class Fill>
[[nodiscard]] Result<Record> from_json(const std::string& value, const std::string& where, Fill fill) {
  const auto j = nlohmann::json::parse(value, nullptr, false);
  Record record;
  try {
    fill(j, record);
  } catch (const std::exception& e) {
    return fail(ErrorCode::kDataLoss, where + ": " + (j.is_discarded() ? std::string("not JSON") : e.what()));
  }
  return record;
}

// The time under `key`; throws, for from_json, when it is missing or not one.
inline Timestamp time_at(const nlohmann::json& j, const char* key) {
  auto time = parse_time(j.at(key).get<std::string>());
  if (!time) throw std::invalid_argument(time.error().message);
  return *time;
}

// A record's number among its kind's: its `version`, or its `number` for
// records that are not versions of one thing (workflow changes).
template <class Record>
std::uint64_t number_of(const Record& record) {
  if constexpr (requires { record.version; }) {
    return record.version;
  } else {
    return record.number;
  }
}

// Every record under `prefix` of `family`, oldest first. `read(value, where)`
// turns a value into a Record (with a `version` or `number` member) or a kDataLoss naming
// `where`, "<place>/<version>". kDataLoss also for a key that is not the
// prefix and 8 bytes, a record whose version is not its key's, and a gap.
template <class Record, class Read>
[[nodiscard]] Result<std::vector<Record>> read_all(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* family, std::string_view prefix,
                                     const std::string& place, Read read) {
  std::vector<Record> records;
  std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(rocksdb::ReadOptions(), family));
  for (it->Seek(std::string(prefix)); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    const std::string_view k = it->key().ToStringView();
    const auto version = store_layout::read_big_endian(k.substr(prefix.size()));
    if (!version) {
      return fail(ErrorCode::kDataLoss, place + "/" + printable(k.substr(prefix.size())) +
                                            ": the key should end in 8 bytes");
    }
    const std::string where = place + "/" + std::to_string(*version);
    Result<Record> record = read(it->value().ToString(), where);
    if (!record) return tl::unexpected(record.error());
    if (number_of(*record) != *version) {
      return fail(ErrorCode::kDataLoss, where + ": the record says " + std::to_string(number_of(*record)));
    }
    if (*version != records.size() + 1) {
      return fail(ErrorCode::kDataLoss, where + ": follows version " + std::to_string(records.size()) +
                                            "; a version is missing");
    }
    records.push_back(std::move(*record));
  }
  if (!it->status().ok()) return tl::unexpected(status_error(it->status(), place));
  return records;
}

}  // namespace escalator::store_versions

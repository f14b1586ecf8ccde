#include "store_access.hpp"

#include <rocksdb/write_batch.h>

#include "rocks_support.hpp"
#include "store_layout.hpp"

namespace escalator {

namespace layout = store_layout;

Result<std::vector<AccessRecord>> StoredAccessLog::read(std::uint64_t from, std::size_t limit) const {
  std::vector<AccessRecord> records;
  std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(rocksdb::ReadOptions(), access_));
  for (it->Seek(layout::access_key(from)); it->Valid() && records.size() < limit; it->Next()) {
    const auto position = layout::read_big_endian(it->key().ToStringView());
    const std::string where = "access/" + (position ? std::to_string(*position) : std::string("?"));
    auto record = parse_access_record(it->value().ToStringView());
    if (!record) return fail(ErrorCode::kDataLoss, where + ": " + record.error().message);
    records.push_back(std::move(*record));
  }
  if (!it->status().ok()) return tl::unexpected(status_error(it->status(), "access"));
  return records;
}

Result<std::vector<AccessRecord>> StoredAccessLog::append(std::vector<AccessRecord> records) {
  std::lock_guard lock(appending_);
  if (!tail_read_) {
    std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(rocksdb::ReadOptions(), access_));
    it->SeekToLast();
    last_hash_ = std::string(kAccessGenesisHash);
    if (it->Valid()) {
      auto last = parse_access_record(it->value().ToStringView());
      if (!last) return fail(ErrorCode::kDataLoss, "access: the last record: " + last.error().message);
      last_position_ = last->position;
      last_hash_ = last->hash;
    } else if (!it->status().ok()) {
      return tl::unexpected(status_error(it->status(), "access"));
    }
    tail_read_ = true;
  }
  rocksdb::WriteBatch batch;
  std::uint64_t position = last_position_;
  std::string hash = last_hash_;
  for (auto& record : records) {
    record.position = ++position;
    record.prev_hash = hash;
    record.hash = hash = access_record_hash(record);
    batch.Put(access_, layout::access_key(record.position), access_record_json(record));
  }
  rocksdb::WriteOptions sync;
  sync.sync = true;
  if (const auto status = db_.Write(sync, &batch); !status.ok()) return tl::unexpected(status_error(status, "access"));
  last_position_ = position;
  last_hash_ = hash;
  return records;
}

}  // namespace escalator

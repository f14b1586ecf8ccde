#include "store_calls.hpp"

#include <algorithm>
#include <memory>

#include "repeat_calls.hpp"
#include "rocks_support.hpp"
#include "store_layout.hpp"

namespace escalator {

namespace layout = store_layout;

namespace {
std::string record_key(const std::string& case_id) { return std::string(layout::kCallsOfPrefix) + case_id; }
std::string entry_key(std::string_view entry) { return std::string(layout::kCallsPrefix) + std::string(entry); }
}  // namespace

void StoredCalls::add(rocksdb::WriteBatch& batch, const std::string& case_id,
                      const std::vector<std::string>& entries) const {
  if (entries.empty()) return;
  std::string record;
  for (const auto& entry : entries) {
    batch.Put(index_, entry_key(entry), "");
    record.push_back(static_cast<char>(entry.size() >> 8));
    record.push_back(static_cast<char>(entry.size() & 0xff));
    record += entry;
  }
  batch.Put(index_, record_key(case_id), record);
}

void StoredCalls::erase(rocksdb::WriteBatch& batch, const std::string& case_id) const {
  std::string record;
  if (!db_.Get(rocksdb::ReadOptions(), index_, record_key(case_id), &record).ok()) return;  // none were made
  for (std::string_view rest = record; rest.size() >= 2;) {
    const std::size_t size = (static_cast<unsigned char>(rest[0]) << 8) | static_cast<unsigned char>(rest[1]);
    batch.Delete(index_, entry_key(rest.substr(2, size)));
    rest.remove_prefix(std::min(rest.size(), 2 + size));
  }
  batch.Delete(index_, record_key(case_id));
}

Result<std::optional<CallerIndex::Call>> StoredCalls::previous(std::span<const std::string> digests,
                                                             Timestamp at) const {
  std::optional<CallerIndex::Call> latest;
  std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(rocksdb::ReadOptions(), index_));
  for (const auto& digest : digests) {
    it->SeekForPrev(entry_key(repeat_calls::bound(digest, at)));
    if (!it->status().ok()) return tl::unexpected(status_error(it->status(), "index: the callers' calls"));
    if (!it->Valid() || !it->key().starts_with(entry_key(digest))) continue;
    auto call = repeat_calls::call_in(it->key().ToStringView().substr(layout::kCallsPrefix.size()), digest);
    if (call && (!latest || call->opened_at > latest->opened_at)) latest = std::move(call);
  }
  return latest;
}

}  // namespace escalator

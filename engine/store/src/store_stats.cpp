#include "store_stats.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "rocks_support.hpp"

namespace escalator {
namespace {

constexpr std::string_view kStampKey = "stats_stamp";

// Adds a cell's tallies. All of a key's operands at once, decoded once each
// and encoded once, since a busy cell collects one per group write until a flush.
class TallyAdd final : public rocksdb::MergeOperator {
 public:
  bool FullMergeV2(const MergeOperationInput& in, MergeOperationOutput* out) const override {
    std::optional<stats::Tally> sum = stats::Tally();
    if (in.existing_value) sum = stats::Tally::decode(in.existing_value->ToStringView());
    if (!sum || !add_up(in.operand_list, *sum)) return false;  // RocksDB reports the key as corrupt
    out->new_value = sum->encode();
    return true;
  }
  bool PartialMergeMulti(const rocksdb::Slice&, const std::deque<rocksdb::Slice>& operands, std::string* merged,
                         rocksdb::Logger*) const override {
    stats::Tally sum;
    if (!add_up(operands, sum)) return false;
    *merged = sum.encode();
    return true;
  }
  const char* Name() const override { return "escalator.TallyAdd"; }

 private:
  template <typename Operands>
  static bool add_up(const Operands& operands, stats::Tally& sum) {
    for (const rocksdb::Slice& operand : operands) {
      const auto added = stats::Tally::decode(operand.ToStringView());
      if (!added) return false;
      sum.add(*added);
    }
    return true;
  }
};

// "stats/…": the cell's key, readable.
std::string where(std::string_view key) {
  if (auto cell = stats::CellKey::decode(key)) return "stats/" + cell->name();
  return "stats/" + printable(key);
}

}  // namespace

std::shared_ptr<rocksdb::MergeOperator> tally_merge_operator() { return std::make_shared<TallyAdd>(); }

void StoredStats::add(rocksdb::WriteBatch& batch, const stats::Marks& marks) const {
  // Sorted, each cell's marks lie together, by index: one operand per cell.
  std::vector<std::pair<std::string_view, std::uint16_t>> sorted;
  marks.each([&sorted](std::string_view key, std::uint16_t index) { sorted.emplace_back(key, index); });
  std::sort(sorted.begin(), sorted.end());
  for (auto cell = sorted.begin(); cell != sorted.end();) {
    stats::Tally tally;
    auto mark = cell;
    for (; mark != sorted.end() && mark->first == cell->first; ++mark) tally.add(mark->second, 1);
    batch.Merge(stats_, rocksdb::Slice(cell->first.data(), cell->first.size()), tally.encode());
    cell = mark;
  }
}

Result<std::vector<std::pair<std::string, stats::Tally>>> StoredStats::cells(std::string_view from,
                                                                             std::string_view to) const {
  std::vector<std::pair<std::string, stats::Tally>> found;
  rocksdb::ReadOptions read;
  const rocksdb::Slice upper(to.data(), to.size());
  read.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(read, stats_));
  for (it->Seek(rocksdb::Slice(from.data(), from.size())); it->Valid(); it->Next()) {
    auto tally = stats::Tally::decode(it->value().ToStringView());
    if (!tally) return fail(ErrorCode::kDataLoss, where(it->key().ToStringView()) + ": not a tally");
    found.emplace_back(it->key().ToString(), std::move(*tally));
  }
  if (!it->status().ok()) return tl::unexpected(status_error(it->status(), "stats: reading the counters"));
  return found;
}

Result<std::optional<stats::Stamp>> StoredStats::stamp() const {
  std::string text;
  const auto status = db_.Get(rocksdb::ReadOptions(), meta_, kStampKey, &text);
  if (status.IsNotFound()) return std::optional<stats::Stamp>();
  if (!status.ok()) return tl::unexpected(status_error(status, "meta/stats_stamp"));
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.value("definition", nlohmann::json()).is_number_integer() ||
      !j.value("calendar", nlohmann::json()).is_string() || !j.value("working_hours", nlohmann::json()).is_string()) {
    return fail(ErrorCode::kDataLoss,
                "meta/stats_stamp: not {\"calendar\":\"…\",\"definition\":N,\"working_hours\":\"…\"}");
  }
  return std::optional<stats::Stamp>(stats::Stamp{j["definition"].get<int>(), j["calendar"].get<std::string>(),
                                                  j["working_hours"].get<std::string>()});
}

Result<void> StoredStats::replace(const stats::Cells& cells, const stats::Stamp& stamp) {
  rocksdb::WriteBatch batch;
  batch.DeleteRange(stats_, rocksdb::Slice(stats::kCellsFrom.data(), stats::kCellsFrom.size()),
                    rocksdb::Slice(stats::kCellsTo.data(), stats::kCellsTo.size()));
  for (const auto& [key, tally] : cells) batch.Put(stats_, key, tally.encode());
  const nlohmann::json j = {
      {"calendar", stamp.calendar}, {"definition", stamp.definition}, {"working_hours", stamp.working_hours}};
  batch.Put(meta_, kStampKey, j.dump());
  rocksdb::WriteOptions sync;
  sync.sync = true;
  const auto status = db_.Write(sync, &batch);
  if (!status.ok()) return tl::unexpected(status_error(status, "stats: replacing the counters"));
  return {};
}

}  // namespace escalator

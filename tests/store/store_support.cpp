#include "store_support.hpp"

#include <fstream>
#include <sstream>

#include <cstdlib>
#include <stdexcept>

#include <rocksdb/perf_level.h>

#include "escalator/lifecycle/history.hpp"
#include "rocks_store.hpp"
#include "store_stats.hpp"

namespace escalator::testing {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "escalator-store-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string extended_spring_festival_notice() {
  std::ifstream in(std::string(ESCALATOR_SOURCE_DIR) +
                   "/tests/fixtures/calendar-import/2026-spring-festival-extended.json");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

const std::string& leaks_workflow() {
  static const std::string kText = R"({
  "id": "leaks",
  "name": "漏水",
  "takes": {"categories": ["物业/漏水"]},
  "priority": 5,
  "steps": [
    {"id": "property", "name": "物业公司", "level": "compound", "role": "property_company", "fallback_roles": ["community_office"],
     "accept_within": "2h", "resolve_within": "1 working-day"}
  ],
  "reply_within": "3 working-days"
})";;
  return kText;
}

cmd::Open leak_report() {
  cmd::Open o;
  o.request_type = RequestType::kComplaint;
  o.category = "物业/漏水";
  o.location = Location{"370811", "", "", "", "yangguang-garden", "3号楼", "3号楼2单元401"};
  o.reporter = Reporter{"张三", "13800000000", ""};
  o.content = "楼上卫生间漏水";
  o.first_contact = Party{"hotline.12345", "operator-07"};
  return o;
}

std::vector<CommandPayload> to_closure() {
  std::vector<CommandPayload> steps;
  steps.push_back(cmd::Dispatch{});
  steps.push_back(cmd::Accept{});
  steps.push_back(cmd::Reply{Outcome::kResolved, "已修复"});
  steps.push_back(cmd::Rate{Rating::kSatisfied, ""});
  steps.push_back(cmd::Close{""});
  return steps;
}

std::shared_ptr<CaseStore> open_durable_at(const std::filesystem::path& path, rocksdb::Env* env) {
  DurableStoreOptions options;
  options.path = path;
  auto store = open_rocks_store(options, env);
  if (!store) throw std::runtime_error(store.error().message);  // doctest reports it as the test's failure
  return *store;
}

std::unique_ptr<Engine> engine_on(std::shared_ptr<CaseStore> store, int workers) {
  EngineOptions options;
  options.config.limits.worker_threads = workers;
  options.clock = std::make_shared<ManualClock>(*parse_time("2025-11-11T09:00:00+08:00"));
  options.store = std::move(store);
  auto engine = Engine::open(std::move(options));
  if (!engine) throw std::runtime_error(engine.error().message);
  return std::move(*engine);
}

Result<void> replace_counters(CounterStore& store, const stats::Cells& cells, const stats::Stamp& stamp) {
  stats::Marks marks;
  for (const auto& [key, tally] : cells) {
    for (const auto& [index, value] : tally.values()) {
      for (std::int64_t i = 0; i < value; ++i) marks.add(key, index);
    }
  }
  return store.replace_stats([&](const CounterStore::CaseMarksSink& sink) -> Result<void> {
    sink("", marks);
    return {};
  }, stamp);
}

Command command(const std::string& case_id, const std::string& key, CommandPayload payload) {
  return Command{case_id, key, std::nullopt, "test", std::move(payload)};
}

CaseWrite opened_write(const std::string& id) {
  CaseState snapshot;
  snapshot.id = id;
  snapshot.version = 1;
  Event opened;
  opened.seq = 1;
  ev::CaseOpened payload;
  payload.case_id = id;
  opened.payload = payload;
  if (!seal(opened, kGenesisHash)) throw std::runtime_error("cannot seal a CaseOpened");
  return CaseWrite{id, {opened}, snapshot, {}, {}};
}

rocksdb::PerfContext counted_while(const std::function<void()>& read) {
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kEnableCount);
  rocksdb::get_perf_context()->Reset();
  read();
  const rocksdb::PerfContext counted = *rocksdb::get_perf_context();
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);
  return counted;
}

RawStore::RawStore(const std::filesystem::path& path) {
  rocksdb::Options options;
  if (!rocksdb::DB::ListColumnFamilies(options, path.string(), &names_).ok()) {
    throw std::runtime_error("no store at " + path.string());
  }
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const auto& name : names_) families.emplace_back(name, options);
  for (auto& family : families) {
    if (family.name == "stats" || family.name == "behind") family.options.merge_operator = tally_merge_operator();
  }
  rocksdb::DB* raw = nullptr;
  const auto status = rocksdb::DB::Open(options, path.string(), families, &handles_, &raw);
  if (!status.ok()) throw std::runtime_error(status.ToString());
  db_.reset(raw);
}

RawStore::~RawStore() {
  for (auto* handle : handles_) db_->DestroyColumnFamilyHandle(handle);
  db_->Close();
}

rocksdb::ColumnFamilyHandle* RawStore::family(std::string_view name) {
  for (std::size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name) return handles_[i];
  }
  throw std::runtime_error("no column family " + std::string(name));
}

std::vector<std::pair<std::string, std::string>> RawStore::all(std::string_view name) {
  std::vector<std::pair<std::string, std::string>> records;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), family(name)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) records.emplace_back(it->key().ToString(), it->value().ToString());
  return records;
}

std::string wholeness_problem(const StoredCase& stored) {
  for (std::size_t i = 0; i < stored.events.size(); ++i) {
    if (stored.events[i].seq != i + 1) return "event " + std::to_string(i + 1) + " is missing";
  }
  if (stored.snapshot.version != stored.events.size()) {
    return "snapshot at version " + std::to_string(stored.snapshot.version) + " over " +
           std::to_string(stored.events.size()) + " events";
  }
  auto replayed = replay(stored.events);
  if (!replayed) return "replay failed: " + replayed.error().message;
  if (!(*replayed == stored.snapshot)) return "snapshot differs from the replay of its events";
  return "";
}

}  // namespace escalator::testing

// The store's access log (access_log.hpp, docs/access.md "The access log"):
// appended in order, chained, kept across reopening, and checked by the audit.
#include <doctest/doctest.h>

#include "escalator/store/audit.hpp"
#include "escalator/store/store.hpp"
#include "store_support.hpp"

namespace escalator {
namespace {

AccessRecord read_of(const std::string& case_id, const std::string& key = "3f9a1c2b7d04") {
  AccessRecord r;
  r.at = *parse_time("2025-11-11T10:00:00+08:00");
  r.key = key;
  r.holder = "阳光花园物业服务中心";
  r.role = "handler";
  r.operation = "readCase";
  r.case_id = case_id;
  r.fields = {"reporter.name", "reporter.phone"};
  r.purpose = "回电核实漏水情况";
  r.request_id = "req-1";
  return r;
}

void check_chain(const std::vector<AccessRecord>& records) {
  std::string before(kAccessGenesisHash);
  for (std::size_t i = 0; i < records.size(); ++i) {
    CHECK(records[i].position == i + 1);
    CHECK(records[i].prev_hash == before);
    CHECK(records[i].hash == access_record_hash(records[i]));
    before = records[i].hash;
  }
}

TEST_CASE("the access log is appended in order, each record chained to the one before, in memory and on disk") {
  testing::TempDir dir;
  for (const auto& store : {memory_store(), testing::open_durable_at(dir.path() / "data")}) {
    auto first = store->append_access({read_of("370811-20251111-000001")});
    REQUIRE(first);
    CHECK((*first)[0].position == 1);
    CHECK((*first)[0].prev_hash == kAccessGenesisHash);
    REQUIRE(store->append_access({read_of("370811-20251111-000002"), read_of("370811-20251111-000003")}));
    auto all = store->access_records(1, 100);
    REQUIRE(all);
    REQUIRE(all->size() == 3);
    check_chain(*all);
    CHECK((*all)[2].case_id == "370811-20251111-000003");
    CHECK((*all)[0].fields == std::vector<std::string>{"reporter.name", "reporter.phone"});
    auto page = store->access_records(2, 1);
    REQUIRE(page);
    REQUIRE(page->size() == 1);
    CHECK((*page)[0] == (*all)[1]);
  }
  // Reopened, the chain goes on from its last record.
  auto again = testing::open_durable_at(dir.path() / "data");
  REQUIRE(again->append_access({read_of("370811-20251111-000004")}));
  auto all = again->access_records(1, 100);
  REQUIRE(all);
  REQUIRE(all->size() == 4);
  check_chain(*all);
}

TEST_CASE("the audit follows the access log's chain and finds a record edited or removed") {
  testing::TempDir dir;
  {
    auto store = testing::open_durable_at(dir.path());
    REQUIRE(store->append_access({read_of("370811-20251111-000001"), read_of("370811-20251111-000002"),
                                  read_of("370811-20251111-000003")}));
  }
  auto clean = audit_store(dir.path());
  REQUIRE(clean);
  CHECK(clean->breaks.empty());
  CHECK(clean->access_records == 3);
  const auto last_hash = clean->access_hash;
  CHECK(clean->access_position == 3);
  {
    testing::RawStore raw(dir.path());
    const auto key = raw.all("access")[1].first;
    std::string value = raw.all("access")[1].second;
    const auto at = value.find("回电核实");
    REQUIRE(at != std::string::npos);
    value.replace(at, std::string("回电核实").size(), "随便看看");
    REQUIRE(raw.db().Put(rocksdb::WriteOptions(), raw.family("access"), key, value).ok());
  }
  auto edited = audit_store(dir.path());
  REQUIRE(edited);
  REQUIRE(edited->breaks.size() == 1);
  CHECK(edited->breaks[0].where == "access/2");
  CHECK(edited->breaks[0].what.find("does not match its bytes") != std::string::npos);
  {
    testing::RawStore raw(dir.path());
    const auto key = raw.all("access")[1].first;
    REQUIRE(raw.db().Delete(rocksdb::WriteOptions(), raw.family("access"), key).ok());
  }
  auto removed = audit_store(dir.path());
  REQUIRE(removed);
  REQUIRE(removed->breaks.size() == 2);
  CHECK(removed->breaks[0].where == "access/3");
  CHECK(removed->breaks[0].what == "positions 2 to 2 before it are missing");
  CHECK(removed->breaks[1].what.starts_with("prev_hash"));
  CHECK(removed->access_hash == last_hash);
}

}  // namespace
}  // namespace escalator

// The tamper suite: each way of changing a store after the fact is found by
// `audit verify` and named (docs/history.md, "Audit").
#include <doctest/doctest.h>

#include <set>

#include <algorithm>

#include "escalator/store/audit.hpp"
#include "escalator/lifecycle/history.hpp"
#include "escalator/engine/engine.hpp"
#include "escalator/calendar/official_calendar.hpp"
#include "escalator/store/stats_report.hpp"
#include "escalator/org/org_directory.hpp"
#include "escalator/workflow/workflow_registry.hpp"
#include "event_record.hpp"
#include "rocks_store.hpp"
#include "store_layout.hpp"
#include "store_support.hpp"

using namespace escalator;
using namespace escalator::testing;

namespace {

// Three cases, their commands interleaved so that their events interleave in
// the log: A is closed, B accepted, C only opened.
struct AuditedStore {
  TempDir dir;
  std::string a, b, c;
  std::uint64_t a_events = 0;

  AuditedStore() {
    auto engine = engine_on(open_durable_at(dir.path()), 0);
    auto send = [&](const std::string& id, const std::string& key, CommandPayload payload) {
      auto decided = engine->submit(command(id, key, std::move(payload))).get();
      REQUIRE_MESSAGE(decided.has_value(), decided.error().message);
      return decided->case_id;
    };
    a = send("", "GD-A", leak_report());
    b = send("", "GD-B", leak_report());
    const auto steps = to_closure();
    for (std::size_t i = 0; i < steps.size(); ++i) {
      send(a, "a" + std::to_string(i), steps[i]);
      if (i < 2) send(b, "b" + std::to_string(i), steps[i]);
    }
    c = send("", "GD-C", leak_report());
    a_events = (*engine->history(a)).size();
  }

  std::string key(const std::string& id, std::uint64_t seq) const { return store_layout::event_key(id, seq); }

  std::string get(RawStore& raw, const char* family, const std::string& key) const {
    std::string value;
    REQUIRE(raw.db().Get(rocksdb::ReadOptions(), raw.family(family), key, &value).ok());
    return value;
  }

  AuditReport audit() const {
    auto report = audit_store(dir.path());
    REQUIRE_MESSAGE(report.has_value(), report.error().message);
    return *report;
  }
};

bool has_break(const AuditReport& report, const std::string& where, const std::string& what_starts) {
  return std::any_of(report.breaks.begin(), report.breaks.end(), [&](const AuditBreak& b) {
    return b.where == where && b.what.starts_with(what_starts);
  });
}

std::string all_breaks(const AuditReport& report) {
  std::string text;
  for (const auto& b : report.breaks) text += b.where + ": " + b.what + "\n";
  return text;
}

}  // namespace

TEST_CASE("AnUntouchedStoreAuditsCleanAndCountsWhatItChecked") {
  AuditedStore s;
  const auto report = s.audit();
  CHECK_MESSAGE(report.breaks.empty(), all_breaks(report));
  CHECK(report.cases == 3);
  CHECK(report.events == s.a_events + 3 + 1);
  CHECK(report.log_entries == report.events);
  CHECK(report.snapshots == 3);
  CHECK(report.log_position == report.events);
  CHECK(report.log_hash.size() == 64);
}

TEST_CASE("OneChangedByteOfAnEventIsFoundAtThatEvent") {
  AuditedStore s;
  {
    RawStore raw(s.dir.path());
    std::string value = s.get(raw, "events", s.key(s.a, 3));
    const auto at = value.find("\"actor\":\"test\"");
    REQUIRE(at != std::string::npos);
    value[at + 12] = 'x';  // "test" -> "text"
    REQUIRE(raw.db().Put(rocksdb::WriteOptions(), raw.family("events"), s.key(s.a, 3), value).ok());
  }
  const auto report = s.audit();
  REQUIRE_MESSAGE(report.breaks.size() == 1, all_breaks(report));
  CHECK(report.breaks[0].where == "events/" + s.a + "#3");
  CHECK(report.breaks[0].case_id == s.a);
  CHECK(report.breaks[0].seq == 3);
  CHECK(report.breaks[0].what.find("does not match its bytes, which hash to") != std::string::npos);
}

TEST_CASE("ADeletedEventIsFoundFromTheCaseAndFromTheLog") {
  AuditedStore s;
  std::uint64_t position = 0;
  {
    RawStore raw(s.dir.path());
    position = event_record::split(s.get(raw, "events", s.key(s.a, 3)))->position;
    REQUIRE(raw.db().Delete(rocksdb::WriteOptions(), raw.family("events"), s.key(s.a, 3)).ok());
  }
  const auto report = s.audit();
  CHECK_MESSAGE(has_break(report, "events/" + s.a + "#4", "event #3 before it is missing"), all_breaks(report));
  CHECK(has_break(report, "log/" + std::to_string(position), "names " + s.a + "#3, which is not stored"));
  CHECK(std::all_of(report.breaks.begin(), report.breaks.end(), [&](const auto& b) { return b.case_id == s.a; }));
}

TEST_CASE("TwoReorderedEventsAreFoundByTheirSeqTheirChainAndTheirLogPositions") {
  AuditedStore s;
  {
    RawStore raw(s.dir.path());
    const auto third = s.get(raw, "events", s.key(s.a, 3));
    const auto fourth = s.get(raw, "events", s.key(s.a, 4));
    REQUIRE(raw.db().Put(rocksdb::WriteOptions(), raw.family("events"), s.key(s.a, 3), fourth).ok());
    REQUIRE(raw.db().Put(rocksdb::WriteOptions(), raw.family("events"), s.key(s.a, 4), third).ok());
  }
  const auto report = s.audit();
  CHECK_MESSAGE(has_break(report, "events/" + s.a + "#3", "holds event #4"), all_breaks(report));
  CHECK(has_break(report, "events/" + s.a + "#3", "prev_hash "));
  CHECK(has_break(report, "events/" + s.a + "#4", "holds event #3"));
  CHECK(has_break(report, "events/" + s.a + "#3", "its log position "));
}

TEST_CASE("ATruncatedChainIsFoundByItsSnapshotAndItsLogEntries") {
  AuditedStore s;
  {
    RawStore raw(s.dir.path());
    for (auto seq = s.a_events - 1; seq <= s.a_events; ++seq) {
      REQUIRE(raw.db().Delete(rocksdb::WriteOptions(), raw.family("events"), s.key(s.a, seq)).ok());
    }
  }
  const auto report = s.audit();
  CHECK_MESSAGE(has_break(report, "cases/" + s.a,
                          "the snapshot differs from the replay of its " + std::to_string(s.a_events - 2) +
                              " events in state (stored \"closed\""),
                all_breaks(report));
  const auto dangling = std::count_if(report.breaks.begin(), report.breaks.end(), [&](const AuditBreak& b) {
    return b.where.starts_with("log/") && b.what.ends_with(", which is not stored");
  });
  CHECK(dangling == 2);
}

TEST_CASE("AForkedChainIsFoundWhereTheBranchesPartAndInTheLog") {
  AuditedStore s;
  std::uint64_t position = 0;
  {
    // A second event #4, properly hashed on #3: the chain forks at #3.
    RawStore raw(s.dir.path());
    const auto fourth = s.get(raw, "events", s.key(s.a, 4));
    auto event = *event_record::decode(fourth);
    position = event.position;
    event.actor = "someone-else";
    REQUIRE(seal(event, event.prev_hash).has_value());
    const auto forked = event_record::encode(*canonical_bytes(event), event.hash, position, event.prev_hash);
    REQUIRE(raw.db().Put(rocksdb::WriteOptions(), raw.family("events"), s.key(s.a, 4), forked).ok());
  }
  const auto report = s.audit();
  CHECK_MESSAGE(has_break(report, "events/" + s.a + "#4", "its log position " + std::to_string(position) + " has hash "),
                all_breaks(report));
  CHECK(has_break(report, "events/" + s.a + "#5", "prev_hash "));
  CHECK(std::none_of(report.breaks.begin(), report.breaks.end(),
                     [](const auto& b) { return b.what.find("does not match its bytes") != std::string::npos; }));
}

TEST_CASE("AnEditedSnapshotIsFoundWithTheFieldsThatDiffer") {
  AuditedStore s;
  {
    RawStore raw(s.dir.path());
    auto snapshot = s.get(raw, "cases", s.b);
    snapshot.replace(snapshot.find("\"urges\":0"), 9, "\"urges\":7");
    REQUIRE(raw.db().Put(rocksdb::WriteOptions(), raw.family("cases"), s.b, snapshot).ok());
  }
  const auto report = s.audit();
  REQUIRE_MESSAGE(report.breaks.size() == 1, all_breaks(report));
  CHECK(report.breaks[0].where == "cases/" + s.b);
  CHECK(report.breaks[0].what == "the snapshot differs from the replay of its 3 events in urges (stored 7, replayed 0)");
}

TEST_CASE("AnOpenCasesDeletedTimersAreFoundByTheDeadlinesItsStateRuns") {
  AuditedStore s;
  const auto clean = s.audit();
  CHECK(clean.timers >= 2);  // B's resolve and reply deadlines, and C's
  {
    // Every timer of B gone: its list and the entries the timer scan reads.
    RawStore raw(s.dir.path());
    std::unique_ptr<rocksdb::Iterator> it(raw.db().NewIterator(rocksdb::ReadOptions(), raw.family("timers")));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      if (it->key().ToString().find(s.b) != std::string::npos) {
        REQUIRE(raw.db().Delete(rocksdb::WriteOptions(), raw.family("timers"), it->key()).ok());
      }
    }
  }
  const auto report = s.audit();
  REQUIRE_MESSAGE(report.breaks.size() == 2, all_breaks(report));
  CHECK(has_break(report, "timers/" + s.b, "missing: the case's resolve deadline "));
  CHECK(has_break(report, "timers/" + s.b, "missing: the case's reply deadline "));
  CHECK(report.breaks[0].what.ends_with(" runs, but no timer is stored for it: it would never fire"));
}

TEST_CASE("ATimerListedForACaseButNotWhereDueTimersAreFoundIsABreak") {
  AuditedStore s;
  {
    // B's list stays; the entries the timer scan reads go.
    RawStore raw(s.dir.path());
    std::unique_ptr<rocksdb::Iterator> it(raw.db().NewIterator(rocksdb::ReadOptions(), raw.family("timers")));
    for (it->Seek("t/"); it->Valid() && it->key().starts_with("t/"); it->Next()) {
      if (it->key().ToString().find(s.b) != std::string::npos) {
        REQUIRE(raw.db().Delete(rocksdb::WriteOptions(), raw.family("timers"), it->key()).ok());
      }
    }
  }
  const auto report = s.audit();
  REQUIRE_MESSAGE(report.breaks.size() == 2, all_breaks(report));
  CHECK(has_break(report, "timers/" + s.b, "the case lists a timer for its resolve deadline "));
  CHECK(report.breaks[0].what.ends_with("but it is not stored where due timers are found: it would never fire"));
}

TEST_CASE("AnEditedLogEntryBreaksTheRunningLogHash") {
  AuditedStore s;
  {
    RawStore raw(s.dir.path());
    const auto key = store_layout::log_key(2);
    auto entry = *event_record::decode_log(s.get(raw, "log", key));
    entry.log_hash[0] = entry.log_hash[0] == '0' ? '1' : '0';
    REQUIRE(raw.db().Put(rocksdb::WriteOptions(), raw.family("log"), key, event_record::encode_log(entry)).ok());
  }
  const auto report = s.audit();
  CHECK_MESSAGE(has_break(report, "log/2", "log_hash "), all_breaks(report));
  CHECK(has_break(report, "log/3", "log_hash "));  // it no longer follows from the edited one
}

TEST_CASE("AnEventRecordThatClaimsAnotherLogPositionIsFoundFromBothSides") {
  // The position is kept beside the hashed bytes, not in them: moving it breaks no hash.
  AuditedStore s;
  std::uint64_t third = 0, fourth = 0;
  {
    RawStore raw(s.dir.path());
    auto record = s.get(raw, "events", s.key(s.a, 3));
    third = event_record::split(record)->position;
    fourth = event_record::split(s.get(raw, "events", s.key(s.a, 4)))->position;
    const std::string claimed = "\"position\":" + std::to_string(third) + ",";
    record.replace(record.find(claimed), claimed.size(),
                   "\"position\":" + std::to_string(fourth) + ",");
    REQUIRE(
        raw.db().Put(rocksdb::WriteOptions(), raw.family("events"), s.key(s.a, 3), record).ok());
  }
  const auto report = s.audit();
  CHECK_MESSAGE(has_break(report, "events/" + s.a + "#3",
                          "its log position " + std::to_string(fourth) + " names " + s.a + "#4"),
                all_breaks(report));
  CHECK(has_break(report, "log/" + std::to_string(third),
                  "names " + s.a + "#3, which is at position " + std::to_string(fourth)));
  CHECK(report.breaks.size() == 2);
}

TEST_CASE("AnAuditOfAWholeStoreReadsItsEventsAndLogInKeyOrderWithoutALookupForEach") {
  // A lookup per event and per log entry is a random read each on a store larger than
  // memory: the audit matches the two by reading each once, in key order, and looks up
  // only a case's snapshot and personal record.
  TempDir dir;
  const int cases = 20;
  {
    auto engine = engine_on(open_durable_at(dir.path()), 0);
    for (int i = 0; i < cases; ++i) {
      const auto order = "GD-" + std::to_string(i);
      const auto id = engine->submit(command("", order, leak_report())).get()->case_id;
      int n = 0;
      for (auto& step : to_closure()) {
        REQUIRE(engine->submit(command(id, order + "/" + std::to_string(++n), step)).get());
      }
    }
  }
  std::uint64_t event_bytes = 0;
  {
    RawStore raw(dir.path());
    for (const auto& [key, value] : raw.all("events")) event_bytes += value.size();
  }
  Result<AuditReport> report;
  const auto whole = counted_while([&] { report = audit_store(dir.path()); }).get_read_bytes;
  REQUIRE(report.has_value());
  CHECK_MESSAGE(report->breaks.empty(), all_breaks(*report));
  REQUIRE(report->events == cases * (1 + to_closure().size()));
  CHECK(whole < event_bytes);  // the snapshots and personal records alone

  // Where the two do not match, the store is read again, looking each one up to name what differs.
  {
    RawStore raw(dir.path());
    REQUIRE(
        raw.db().Delete(rocksdb::WriteOptions(), raw.family("log"), store_layout::log_key(5)).ok());
  }
  const auto broken = counted_while([&] { report = audit_store(dir.path()); }).get_read_bytes;
  REQUIRE(report.has_value());
  CHECK_MESSAGE(has_break(*report, "log/6", "positions 5 to 5 before it are missing"),
                all_breaks(*report));
  CHECK(broken >= whole + event_bytes);
}

namespace {

std::filesystem::path fixture_copy(const char* name, const TempDir& dir) {
  const auto copy = dir.path() / name;
  std::filesystem::copy(std::filesystem::path(ESCALATOR_SOURCE_DIR) / "tests/fixtures" / name, copy);
  return copy;
}

// The audit of a fixture store, which must be whole: the demo's twelve cases
// (or as many as `cases` says) and `events` events, without a break.
AuditReport clean_fixture_audit(const std::filesystem::path& copy, std::uint64_t events, std::uint64_t cases = 12) {
  const auto report = audit_store(copy);
  REQUIRE_MESSAGE(report.has_value(), report.error().message);
  CHECK_MESSAGE(report->breaks.empty(), all_breaks(*report));
  CHECK(report->cases == cases);
  CHECK(report->events == events);
  return *report;
}

}  // namespace

TEST_CASE("AStoreWrittenBeforeTheChainIsSealedWhenOpenedAndThenAuditsClean") {
  for (const char* name : {"store-format-1", "store-format-2"}) {
    CAPTURE(name);
    TempDir dir;
    const auto copy = fixture_copy(name, dir);
    const auto report = clean_fixture_audit(copy, 99);
    CHECK(report.log_entries == 99);
    RawStore raw(copy);
    std::string ignored;
    CHECK(raw.db().Get(rocksdb::ReadOptions(), raw.family("meta"), "sealing_from", &ignored).IsNotFound());
  }
}

TEST_CASE("ASealingInterruptedByACrashFinishesTheSameWhenTheStoreIsNextOpened") {
  TempDir dir;
  const auto copy = fixture_copy("store-format-2", dir);
  const auto first = audit_store(copy);  // seals it
  REQUIRE(first.has_value());
  {
    // As if the process died after writing the events and before the mark was removed;
    // and one event is back as format 2 wrote it.
    RawStore raw(copy);
    REQUIRE(raw.db().Put(rocksdb::WriteOptions(), raw.family("meta"), "sealing_from", "2").ok());
    std::string value;
    const auto key = store_layout::event_key("370811-20251103-000001", 2);
    REQUIRE(raw.db().Get(rocksdb::ReadOptions(), raw.family("events"), key, &value).ok());
    auto event = *event_record::decode(value);
    event.hash.clear();
    event.position = 0;
    REQUIRE(raw.db().Put(rocksdb::WriteOptions(), raw.family("events"), key, to_json(event)).ok());
  }
  const auto again = audit_store(copy);
  REQUIRE(again.has_value());
  CHECK_MESSAGE(again->breaks.empty(), all_breaks(*again));
  CHECK(again->log_hash == first->log_hash);
}

TEST_CASE("TheStoreOfFormatThreeIsVerifiedThenSealedAgainWithItsPersonalDataMovedOut") {
  TempDir dir;
  const auto copy = fixture_copy("store-format-3", dir);
  const auto report = clean_fixture_audit(copy, 99);
  CHECK(report.personal_records == 12);
  // Printed by `escalator audit verify` when the fixture was made: the upgrade
  // verified the history that it commits to before sealing it again.
  CHECK(report.resealed_log_position == 99);
  CHECK(report.resealed_log_hash == "1514f642b6e0c29dfef8b766e3a168e5e08201394d4e3fae84659c5b67493d41");
  CHECK(report.log_hash != report.resealed_log_hash);

  RawStore raw(copy);
  const std::string id = "370811-20251103-000001";
  const auto opened = *event_record::decode(
      [&] {
        std::string value;
        REQUIRE(raw.db().Get(rocksdb::ReadOptions(), raw.family("events"), store_layout::event_key(id, 1), &value).ok());
        return value;
      }());
  const auto& commitments = std::get<ev::CaseOpened>(opened.payload).commitments;
  CHECK(commitments.content.size() == 64);
  std::string record;
  REQUIRE(raw.db().Get(rocksdb::ReadOptions(), raw.family("personal"), id, &record).ok());
  CHECK(record.find("\"content\":{\"salt\":") != std::string::npos);
}

TEST_CASE("AFormatThreeStoreThatDoesNotVerifyIsNotSealedAgainAndIsLeftAsItWas") {
  TempDir dir;
  const auto copy = fixture_copy("store-format-3", dir);
  {
    RawStore raw(copy);
    const auto key = store_layout::event_key("370811-20251103-000001", 3);
    std::string value;
    REQUIRE(raw.db().Get(rocksdb::ReadOptions(), raw.family("events"), key, &value).ok());
    const auto at = value.find("\"actor\":\"") + 9;
    value[at] = value[at] == 'x' ? 'y' : 'x';
    REQUIRE(raw.db().Put(rocksdb::WriteOptions(), raw.family("events"), key, value).ok());
  }
  const auto report = audit_store(copy);
  REQUIRE_FALSE(report.has_value());
  CHECK(report.error().code == ErrorCode::kDataLoss);
  CHECK(report.error().message.find("does not verify") != std::string::npos);
  CHECK(report.error().message.find("events/370811-20251103-000001\\x00") != std::string::npos);
  RawStore raw(copy);
  std::string format;
  REQUIRE(raw.db().Get(rocksdb::ReadOptions(), raw.family("meta"), "format_version", &format).ok());
  CHECK(format == "3");
  CHECK(raw.db().Get(rocksdb::ReadOptions(), raw.family("meta"), "sealing_from", &format).IsNotFound());
}

TEST_CASE("TheStoreOfFormatFourThatThisReleaseWroteAuditsCleanWithTheLogHashItWasWrittenWith") {
  TempDir dir;
  const auto copy = fixture_copy("store-format-4", dir);
  const auto report = clean_fixture_audit(copy, 99);
  CHECK(report.personal_records == 12);
  // Printed by `escalator audit verify` when the fixture was made: no later
  // release may change a byte that it commits to.
  CHECK(report.log_hash == "588b62b93418320899caaf9ccb6565310a2ec7096c44f30e1a5bb24615010e38");
  CHECK(report.resealed_log_position == 0);

  // The demo's first resident, back from the personal record.
  const auto store = open_durable_at(copy);
  const auto first = store->load("370811-20251103-000001");
  REQUIRE(first.has_value());
  CHECK((*first)->snapshot.reporter == Reporter{"王先生", "13901234567", ""});
  CHECK_FALSE((*first)->snapshot.content.empty());
  CHECK(std::get<ev::CaseOpened>((*first)->events.front().payload).content == (*first)->snapshot.content);
}

TEST_CASE("TheStoreOfFormatFiveThatThisReleaseWroteAuditsCleanWithItsMergeOnBothCases") {
  TempDir dir;
  const auto copy = fixture_copy("store-format-5", dir);
  const auto report = clean_fixture_audit(copy, 93);
  // Printed by `escalator audit verify` when the fixture was made.
  CHECK(report.log_hash == "ed34358d4b9f3dffc70b6a00dda5eb716f89805874893301eee7d76d5a005de5");

  // The demo's one merge, on both cases.
  const auto store = open_durable_at(copy);
  const auto primary = store->load("370811-20251114-000001");
  const auto duplicate = store->load("370811-20251119-000001");
  REQUIRE((primary.has_value() && *primary && duplicate.has_value() && *duplicate));
  CHECK((*duplicate)->snapshot.merged_into == "370811-20251114-000001");
  CHECK((*primary)->snapshot.duplicates == std::vector<std::string>{"370811-20251119-000001"});
  const auto taken_in = std::count_if((*primary)->events.begin(), (*primary)->events.end(), [](const Event& e) {
    return std::holds_alternative<ev::DuplicateMergedIn>(e.payload);
  });
  CHECK(taken_in == 1);
}

TEST_CASE("TheStoreOfFormatSixThatThisReleaseWroteAuditsCleanWithItsDirectoryVersion") {
  TempDir dir;
  const auto copy = fixture_copy("store-format-6", dir);
  const auto report = clean_fixture_audit(copy, 93);
  // Printed by `escalator audit verify` when the fixture was made.
  CHECK(report.log_hash == "d28de4371f0c74e7bc2858fd33a518926c16f57d68b2577efd0fda62486da370");

  // The sample directory its engine stored as version 1, and a dispatch routed by it.
  const auto store = open_durable_at(copy);
  const auto imports = store->org_imports();
  REQUIRE(imports.has_value());
  REQUIRE(imports->size() == 1);
  CHECK(imports->front().source == "sample");
  const auto first = store->load("370811-20251103-000001");
  REQUIRE((first.has_value() && *first));
  const auto dispatched = std::find_if((*first)->events.begin(), (*first)->events.end(), [](const Event& e) {
    return std::holds_alternative<ev::CaseDispatched>(e.payload);
  });
  REQUIRE(dispatched != (*first)->events.end());
  CHECK(std::get<ev::CaseDispatched>(dispatched->payload).to.directory_version == std::optional<std::uint64_t>(1));
}

TEST_CASE("TheStoreOfFormatSevenThatThisReleaseWroteAuditsCleanWithItsStepsNobodyHeldAndItsCorrectedPlace") {
  TempDir dir;
  const auto copy = fixture_copy("store-format-7", dir);
  const auto report = clean_fixture_audit(copy, 10, 1);
  // Printed by `escalator audit verify` when the fixture was made.
  CHECK(report.log_hash == "4f711f7d5be2d7fb4b4c0c1704a4c40dea778a9840146889a1c5cc5520360bfb");

  // Two escalations to steps nobody held, then the dispatcher's correction and routing's holder.
  const auto store = open_durable_at(copy);
  const auto only = store->load("370811-20251111-000001");
  REQUIRE((only.has_value() && *only));
  std::vector<std::string> waited_at;
  for (const Event& e : (*only)->events) {
    if (const auto* up = std::get_if<ev::CaseEscalated>(&e.payload); up && up->to.waiting_for_dispatcher) {
      CHECK_FALSE(up->to.accept_by.has_value());
      waited_at.push_back(up->to.step_id);
    }
  }
  CHECK(waited_at == std::vector<std::string>{"branch", "grid"});
  const auto& located = std::get<ev::CaseLocated>((*only)->events.at(8).payload);
  CHECK(located.location.compound == "jingui-yuan");
  CHECK(located.location.grid == "shuguang-2");
  CHECK((*only)->snapshot.lead_unit == "shuguang-2.station");
  CHECK_FALSE((*only)->snapshot.waiting_for_dispatcher.has_value());
}

namespace {

// The figures of tests/scenarios/stats/figures_by_hand.scn, which the
// fixtures of formats 8 and 9 were made from, read from the store's counters
// as they stand now: agreeing with a recount, by the current definition.
// What an engine does to a store counted by an older definition when it opens it.
void counted_again_by_an_engine(const std::shared_ptr<CaseStore>& store) {
  EngineOptions options;
  options.clock = std::make_shared<ManualClock>(*parse_time("2026-06-01T09:00:00+08:00"));
  options.store = store;
  REQUIRE(Engine::open(std::move(options)).has_value());
}

void reports_the_figures_by_hand(const CaseStore& store) {
  CHECK((*store.stats_stamp())->definition == stats::kDefinition);
  const auto differences = stats::counter_differences(store, *shipped_calendar());
  REQUIRE(differences.has_value());
  CHECK(differences->empty());
  using std::chrono::year;
  const auto figures = stats::read_report(
      store, {std::chrono::sys_days{year{2025} / 10 / 1}, std::chrono::sys_days{year{2025} / 11 / 30},
              stats::Dimension::kLevel});
  REQUIRE(figures.has_value());
  CHECK(figures->total.get(stats::Count::kReceived) == 5);
  REQUIRE(figures->groups.size() == 2);
  CHECK(figures->groups[0].name == "branch");
  CHECK(figures->groups[0].tally.get(stats::Count::kReopened) == 1);
  CHECK(figures->groups[1].tally.get(stats::Count::kClosedResolved) == 1);
  // The recount kept the cases behind the counts too: the branch's reopened case.
  const auto& all = stats::figures();
  const auto reopened = std::find_if(all.begin(), all.end(), [](const auto& f) { return f.name == "reopened"; });
  const auto behind = stats::cases_behind(store, figures->query, "branch", *reopened, stats::Formulas{});
  REQUIRE(behind.has_value());
  REQUIRE(behind->size() == 1);
  CHECK((*behind)[0].count == 1);
  const auto received = std::find_if(all.begin(), all.end(), [](const auto& f) { return f.name == "received"; });
  const auto every = stats::cases_behind(store, {figures->query.from, figures->query.to}, "", *received, {});
  REQUIRE(every.has_value());
  CHECK(every->size() == 5);
}

}  // namespace

TEST_CASE("TheStoreOfFormatEightAuditsCleanAndIsCountedAgainByTheDefinitionWithYears") {
  TempDir dir;
  const auto copy = fixture_copy("store-format-8", dir);
  const auto report = clean_fixture_audit(copy, 27, 5);
  // Printed by `escalator audit verify` when the fixture was made.
  CHECK(report.log_hash == "2f32bdf97cd16254054a07256209472281f07460f8629b41042d6f87b97c4424");

  // Counted by definition 1, which kept no year cells: they differ from a
  // recount until an engine opens the store and counts it again.
  const auto store = open_durable_at(copy);
  // Upgraded to format 14 (the cases behind the counts), it has no stamp:
  // an engine counts it again when it opens it.
  CHECK_FALSE(store->stats_stamp()->has_value());
  const auto before = stats::counter_differences(*store, *shipped_calendar());
  REQUIRE(before.has_value());
  REQUIRE_FALSE(before->empty());
  // Later definitions differ in day cells too (replies counted from definition 7): the year is the one to read.
  const auto year = std::find_if(before->begin(), before->end(),
                                 [](const std::string& d) { return d.starts_with("all/year/2025/:"); });
  REQUIRE(year != before->end());
  CHECK(year->starts_with("all/year/2025/: kept received=0 handed=0"));
  CHECK(year->find("recounted received=5 handed=") != std::string::npos);
  counted_again_by_an_engine(store);
  reports_the_figures_by_hand(*store);
}

TEST_CASE("TheStoreOfFormatNineAuditsCleanAndReportsItsFigures") {
  TempDir dir;
  const auto copy = fixture_copy("store-format-9", dir);
  const auto report = clean_fixture_audit(copy, 27, 5);
  // Printed by `escalator audit verify` when the fixture was made.
  CHECK(report.log_hash == "4bfddaf733c91b2d3bace46d53083f1033dbb8ec63d46abc66ac946df39d5586");
  const auto store = open_durable_at(copy);
  // Counted by definition 4, and with no case behind its counts: an engine counts it again when it opens it.
  CHECK_FALSE(store->stats_stamp()->has_value());  // format 14 counts it again, keeping the cases behind
  counted_again_by_an_engine(store);
  reports_the_figures_by_hand(*store);
}

TEST_CASE("TheStoreOfFormatTenAuditsCleanAndListsItsCases") {
  TempDir dir;
  const auto copy = fixture_copy("store-format-10", dir);
  const auto report = clean_fixture_audit(copy, 27, 5);
  // Printed by `escalator audit verify` when the fixture was made.
  CHECK(report.log_hash == "57ca1478a8063ed1afc767b80b25ec592f74f7e9f0e8e9bb80618e9530928780");
  const auto store = open_durable_at(copy);
  // Counted by definition 5, before a missed deadline was charged where it was missed.
  CHECK_FALSE(store->stats_stamp()->has_value());  // format 14 counts it again, keeping the cases behind
  counted_again_by_an_engine(store);
  reports_the_figures_by_hand(*store);
  const auto listed = store->scan_list("opened", "", "", 10);
  REQUIRE(listed.has_value());
  CHECK(listed->size() == 5);
  for (const auto& hit : *listed) {
    const auto stored = store->load(hit.case_id);
    REQUIRE(stored.has_value());
    const auto on = store->scan_list("state", to_string((*stored)->snapshot.state), "", 10);
    REQUIRE(on.has_value());
    CHECK(std::any_of(on->begin(), on->end(), [&](const auto& h) { return h.case_id == hit.case_id; }));
  }
}

TEST_CASE("TheStoreOfFormatElevenAuditsCleanWithItsReturnedOrderAndItsCoHandlersAddedLater") {
  TempDir dir;
  const auto copy = fixture_copy("store-format-11", dir);
  const auto report = clean_fixture_audit(copy, 10, 2);
  // Printed by `escalator audit verify` when the fixture was made.
  CHECK(report.log_hash == "c7bd1faa68aa1eba3c1ea15b00800ba176b5dda03157f2b81e8c1810d65fe71b");
  const auto store = open_durable_at(copy);
  const auto returned = store->load("370811-20251111-000001");
  REQUIRE((returned.has_value() && *returned));
  CHECK((*returned)->snapshot.state == LifecycleState::kReturned);
  const auto& back = std::get<ev::CaseReturnedToOwner>((*returned)->events.back().payload);
  CHECK(back.to == "hotline.12345");
  const auto gate = store->load("370811-20251111-000002");
  REQUIRE((gate.has_value() && *gate));
  const auto& added = std::get<ev::CoHandlersAdded>((*gate)->events.at(3).payload);
  CHECK(added.units == std::vector<std::string>{"yangguang.volunteers", "yangguang-garden.owners"});
  CHECK((*gate)->snapshot.co_handlers == added.units);
  const auto listed = store->scan_list("state", "returned", "", 10);
  REQUIRE(listed.has_value());
  REQUIRE(listed->size() == 1);
  CHECK(listed->front().case_id == "370811-20251111-000001");
}

TEST_CASE("TheStoreOfFormatTwelveAuditsCleanWithTheAnswersRelayedToItsDuplicates") {
  TempDir dir;
  const auto copy = fixture_copy("store-format-12", dir);
  const auto report = clean_fixture_audit(copy, 13, 3);
  // Printed by `escalator audit verify` when the fixture was made.
  CHECK(report.log_hash == "e3da1c1aeb072f522d8d3deeeaa1a0f594ffaff167d61e82279089ef4e1eebde");
  const auto store = open_durable_at(copy);
  for (const char* id : {"370811-20251111-000002", "370811-20251111-000003"}) {
    CAPTURE(id);
    const auto told = store->load(id);
    REQUIRE((told.has_value() && *told));
    CHECK((*told)->snapshot.state == LifecycleState::kMerged);
    CHECK((*told)->snapshot.answer == "消防通道已清理");
    const auto relayed = std::find_if((*told)->events.begin(), (*told)->events.end(), [](const Event& e) {
      return std::holds_alternative<ev::AnswerRelayed>(e.payload);
    });
    REQUIRE(relayed != (*told)->events.end());
    const auto& answer = std::get<ev::AnswerRelayed>(relayed->payload);
    CHECK(answer.from == "370811-20251111-000001");
    CHECK(answer.unit == "yangguang-garden.property");
  }
  const auto rated = store->load("370811-20251111-000002");
  CHECK((*rated)->snapshot.rating == Rating::kSatisfied);
}

TEST_CASE("AStoreOfFormatSevenIsCountedWhenAnEngineFirstOpensIt") {
  TempDir dir;
  const auto copy = fixture_copy("store-format-7", dir);
  const auto store = open_durable_at(copy);
  CHECK_FALSE(store->stats_stamp()->has_value());
  EngineOptions options;
  options.clock = std::make_shared<ManualClock>(*parse_time("2026-06-01T09:00:00+08:00"));
  options.store = store;
  auto engine = Engine::open(std::move(options));
  REQUIRE_MESSAGE(engine.has_value(), engine.error().message);
  REQUIRE(store->stats_stamp()->has_value());
  CHECK(**store->stats_stamp() == stats::stamp_of(*(*engine)->calendar()));
  const auto differences = stats::counter_differences(*store, *(*engine)->calendar());
  REQUIRE(differences.has_value());
  CHECK(differences->empty());
  const auto day = std::chrono::sys_days{std::chrono::year{2025} / 11 / 11};
  const auto figures = stats::read_report(*store, {day, day + std::chrono::days{30}, stats::Dimension::kAll});
  REQUIRE(figures.has_value());
  CHECK(figures->total.get(stats::Count::kReceived) == 1);
  CHECK(figures->total.get(stats::Count::kEscalated) == 2);
}

TEST_CASE("TheStoreOfFormatThirteenKeepsTheUploadedVersionAndTheRetirement") {
  TempDir dir;
  const auto copy = fixture_copy("store-format-13", dir);
  const auto report = clean_fixture_audit(copy, 4, 2);
  // Printed by `escalator audit verify` when the fixture was made.
  CHECK(report.log_hash == "679cbb5608303067c113eceebee778bf435681d3cef5349f7db4c51d555ee286");
  auto shipped = std::make_shared<WorkflowRegistry>();
  REQUIRE(shipped->load_shipped(*sample_directory()).empty());
  EngineOptions options;
  options.config.limits.worker_threads = 0;
  options.clock = std::make_shared<ManualClock>(*parse_time("2025-11-11T09:30:00+08:00"));
  options.store = open_durable_at(copy);
  options.workflows = shipped;
  auto engine = Engine::open(std::move(options));
  REQUIRE_MESSAGE(engine.has_value(), engine.error().message);
  auto& e = **engine;
  const auto changes = e.workflow_changes();
  REQUIRE(changes.has_value());
  REQUIRE(changes->size() == 6);  // nothing recorded again: the shipped workflows are the store's versions 1
  CHECK((*changes)[4].origin == "uploaded");
  CHECK((*changes)[4].workflow_id == "property-first");
  CHECK((*changes)[5].kind == WorkflowChange::Kind::kRetired);
  CHECK((*changes)[5].workflow_id == "collective-council");
  CHECK(e.workflow_retired("collective-council"));
  CHECK(e.get("370811-20251111-000001")->workflow == WorkflowRef{"property-first", 1});
  CHECK(e.get("370811-20251111-000002")->workflow == WorkflowRef{"property-first", 2});
  CHECK(e.get("370811-20251111-000002")->accept_by == *parse_time("2025-11-11T11:00:03+08:00"));
  auto wechat = leak_report();
  wechat.channel = Channel::kWeChat;
  const auto opened = e.submit(command("", "GD-13", wechat)).get();
  REQUIRE(opened.has_value());
  CHECK(e.get(opened->case_id)->workflow == WorkflowRef{"property-first", 2});
}

// tests/fixtures/store-format-14: killed right after a reply was acknowledged,
// before its counts were folded: a pending record names its case, and the
// cases behind the counts are read from it and from the index alike.
TEST_CASE("TheStoreOfFormatFourteenListsTheCasesBehindItsCountsPendingAndFolded") {
  TempDir dir;
  const auto copy = fixture_copy("store-format-14", dir);
  {
    RawStore raw(copy);
    std::set<std::string> named;
    for (const auto& [key, value] : raw.all("stats")) {
      if (!key.starts_with(std::string_view("\xffpending", 8))) continue;
      const auto marks = stats::Marks::decode(value);
      REQUIRE(marks.has_value());
      marks->each_of_case([&](std::string_view case_id, std::string_view, std::uint16_t) { named.emplace(case_id); });
    }
    CHECK(named == std::set<std::string>{"370811-20251111-000001"});
    // The earlier commands' counts were folded: their cases are in the index.
    std::set<std::string> indexed;
    for (const auto& [key, value] : raw.all("behind")) indexed.insert(stats::BehindKey::decode(key)->case_id);
    CHECK(indexed == std::set<std::string>{"370811-20251111-000001", "370811-20251111-000002"});
  }
  const auto report = clean_fixture_audit(copy, 6, 2);
  // Printed by `escalator audit verify` when the fixture was made.
  CHECK(report.log_hash == "f2ce364e6824e14a1aa11764a240dce8e92c0237a320757f233ad8237692fc6c");
  const auto store = open_durable_at(copy);
  REQUIRE(store->stats_stamp()->has_value());
  CHECK((*store->stats_stamp())->definition == stats::kDefinition);
  const auto& all = stats::figures();
  const auto listed = [&](std::string_view count) {
    const auto figure = std::find_if(all.begin(), all.end(), [&](const auto& f) { return f.name == count; });
    const auto day = *stats::parse_day("2025-11-11");
    auto shares = stats::cases_behind(*store, {day, day}, "", *figure, stats::Formulas{});
    REQUIRE(shares.has_value());
    std::vector<std::string> ids;
    for (const auto& share : *shares) ids.push_back(share.case_id);
    return ids;
  };
  CHECK(listed("received") == std::vector<std::string>{"370811-20251111-000001", "370811-20251111-000002"});
  CHECK(listed("handed") == std::vector<std::string>{"370811-20251111-000001", "370811-20251111-000002"});
  CHECK(listed("signed") == std::vector<std::string>{"370811-20251111-000001"});
  CHECK(listed("replied") == std::vector<std::string>{"370811-20251111-000001"});
  const auto differences = stats::counter_differences(*store, *shipped_calendar());
  REQUIRE(differences.has_value());
  CHECK(differences->empty());
}

// tests/fixtures/store-format-15: a service with keys, killed right after a
// handler's read in clear was answered: the read's record is on disk, chained
// after the dispatcher's list before it.
TEST_CASE("TheStoreOfFormatFifteenKeepsItsAccessLogChainedAndWhole") {
  TempDir dir;
  const auto copy = fixture_copy("store-format-15", dir);
  const auto report = clean_fixture_audit(copy, 2, 1);
  // Printed by `escalator audit verify` when the fixture was made.
  CHECK(report.log_hash == "739238fb3bc3078e3a6bbe77eaf1faa9ac2a1dd37831c5fed8bfeafeacc8e68f");
  CHECK(report.access_records == 2);
  CHECK(report.access_hash == "49fa3b3e4cfe8e98d2dcf4d48f7de81a51e9429e57f482283dcd7f61940eb0f3");
  const auto store = open_durable_at(copy);
  const auto records = store->access_records(1, 10);
  REQUIRE(records.has_value());
  REQUIRE(records->size() == 2);
  CHECK((*records)[0].key == "b909deaefbc6");
  CHECK((*records)[0].role == "dispatcher");
  CHECK((*records)[0].operation == "listCases");
  CHECK((*records)[0].purpose == "派单前核对诉求");
  CHECK((*records)[1].key == "ee8756ffcd08");
  CHECK((*records)[1].holder == "阳光花园物业服务中心");
  CHECK((*records)[1].operation == "readCase");
  CHECK((*records)[1].case_id == "370811-20251111-000001");
  CHECK((*records)[1].purpose == "回电核实漏水位置");
  CHECK((*records)[1].fields == std::vector<std::string>{"reporter.name", "reporter.phone", "location.address", "content"});
  // The chain goes on from the fixture's last record.
  auto next = store->append_access({(*records)[1]});
  REQUIRE(next.has_value());
  CHECK((*next)[0].position == 3);
  CHECK((*next)[0].prev_hash == report.access_hash);
}

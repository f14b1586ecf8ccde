// SIGKILL at random moments: after every restart, each command the killed
// process acknowledged is in the store, and every stored case is whole.
#include <doctest/doctest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <algorithm>
#include <map>
#include <set>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "escalator/calendar/official_calendar.hpp"
#include "escalator/store/audit.hpp"
#include "escalator/store/calendar_in_force.hpp"
#include "escalator/store/stats_report.hpp"
#include "escalator/model/event.hpp"
#include "escalator/store/store.hpp"
#include "store_support.hpp"

using namespace escalator;
using namespace escalator::testing;

namespace {

// Reads "CASE_ID VERSION" lines from a pipe.
class AckReader {
 public:
  explicit AckReader(int fd) : fd_(fd) {}
  // The next acknowledgement; false at end of stream, or at the child's "done".
  bool next(std::string& case_id, std::uint64_t& version) {
    for (;;) {
      if (auto end = buffer_.find('\n'); end != std::string::npos) {
        std::istringstream line(buffer_.substr(0, end));
        buffer_.erase(0, end + 1);
        line >> case_id >> version;
        if (case_id == "done") {
          done_ = true;
          return false;
        }
        return true;
      }
      char chunk[4096];
      const auto got = read(fd_, chunk, sizeof chunk);
      if (got <= 0) return false;
      buffer_.append(chunk, static_cast<std::size_t>(got));
    }
  }

 bool done() const { return done_; }

 private:
  int fd_;
  std::string buffer_;
  bool done_ = false;
};

// Starts escalator_store_child with `args`; its stdout comes to `out_fd`.
pid_t spawn_child(std::vector<std::string> args, int& out_fd) {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  const std::string program = ESCALATOR_STORE_CHILD;
  args.insert(args.begin(), program);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  REQUIRE(posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ) == 0);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  out_fd = fds[0];
  return pid;
}

// Runs the child with `args` and SIGKILLs it at its `wanted`th acknowledgement;
// every acknowledgement it printed, those written before it died too, goes to
// `acked`. How many it printed. A child that `may_finish` first is not an error.
int kill_at_acknowledgement(std::vector<std::string> args, int wanted,
                            const std::function<void(const std::string&, std::uint64_t)>& acked,
                            bool may_finish = false) {
  int out = -1;
  const pid_t child = spawn_child(std::move(args), out);
  AckReader reader(out);
  std::string id;
  std::uint64_t version = 0;
  int seen = 0;
  while (seen < wanted && reader.next(id, version)) {
    acked(id, version);
    ++seen;
  }
  if (!may_finish) REQUIRE_MESSAGE(seen == wanted, "the child stopped on its own");
  REQUIRE(kill(child, SIGKILL) == 0);
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  if (!may_finish) CHECK(WIFSIGNALED(status));
  for (; reader.next(id, version); ++seen) acked(id, version);
  close(out);
  return seen;
}

}  // namespace

TEST_CASE("AProcessKilledAtRandomLosesNoAcknowledgedCommand") {
  TempDir dir;
  std::map<std::string, std::uint64_t> acknowledged;
  std::mt19937 random(20251111);
  std::uniform_int_distribution<int> acks_before_kill(1, 120);
  constexpr int kCycles = 50;
  std::size_t total_acks = 0;
  for (int cycle = 0; cycle < kCycles; ++cycle) {
    CAPTURE(cycle);
    const int seen = kill_at_acknowledgement({dir.path().string(), std::to_string(cycle)}, acks_before_kill(random),
                                             [&](const std::string& id, std::uint64_t version) {
                                               acknowledged[id] = std::max(acknowledged[id], version);
                                             });
    total_acks += static_cast<std::size_t>(seen);

    DurableStoreOptions options;
    options.path = dir.path();
    options.create_if_missing = false;
    auto store = open_durable_store(options);
    REQUIRE_MESSAGE(store.has_value(), store.error().message);
    for (const auto& [case_id, acked] : acknowledged) {
      CAPTURE(case_id);
      auto stored = (*store)->load(case_id);
      REQUIRE_MESSAGE(stored.has_value(), stored.error().message);
      REQUIRE_MESSAGE(stored->has_value(), "an acknowledged case is missing");
      CHECK((*stored)->snapshot.version >= acked);
    }
    for (const auto& case_id : (*store)->case_ids()) {
      CAPTURE(case_id);
      auto stored = (*store)->load(case_id);
      REQUIRE_MESSAGE(stored.has_value(), stored.error().message);
      CHECK(wholeness_problem(**stored) == "");
    }
  }
  MESSAGE(kCycles << " kills, " << total_acks << " acknowledgements, " << acknowledged.size() << " cases");
}

namespace {

std::shared_ptr<CaseStore> reopen(const std::filesystem::path& data) {
  DurableStoreOptions options;
  options.path = data;
  options.create_if_missing = false;
  auto store = open_durable_store(options);
  REQUIRE_MESSAGE(store.has_value(), store.error().message);
  return *store;
}

// Each case's event types, in order: what its timers did.
std::map<std::string, std::vector<EventType>> histories(const CaseStore& store) {
  std::map<std::string, std::vector<EventType>> all;
  for (const auto& case_id : store.case_ids()) {
    auto stored = store.load(case_id);
    REQUIRE_MESSAGE(stored.has_value(), stored.error().message);
    REQUIRE(stored->has_value());
    CHECK(wholeness_problem(**stored) == "");
    for (const auto& e : (*stored)->events) all[case_id].push_back(event_type(e.payload));
  }
  return all;
}

// Runs the child to its end; true when it said "done" and exited 0.
bool run_to_the_end(std::vector<std::string> args) {
  int out = -1;
  const pid_t child = spawn_child(std::move(args), out);
  AckReader reader(out);
  std::string id;
  std::uint64_t version = 0;
  while (reader.next(id, version)) {
  }
  close(out);
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  return reader.done() && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace

TEST_CASE("TimersFallingDueAcrossKillsFireOnceEachInDueOrder") {
  constexpr int kCases = 150;
  // What the timers do to every case when nobody kills the process.
  TempDir calm;
  REQUIRE(run_to_the_end({calm.path().string(), "timers", std::to_string(kCases)}));
  const auto expected = histories(*reopen(calm.path()));
  REQUIRE(expected.size() == kCases);
  const auto& one = expected.begin()->second;
  REQUIRE(std::count(one.begin(), one.end(), EventType::kCaseEscalated) >= 4);  // the ladder, on timeouts alone

  TempDir dir;
  std::map<std::string, std::uint64_t> acknowledged;
  std::mt19937 random(20251113);
  std::uniform_int_distribution<int> acks_before_kill(1, 400);
  constexpr int kKills = 20;
  for (int cycle = 0; cycle < kKills; ++cycle) {
    CAPTURE(cycle);
    kill_at_acknowledgement(
        {dir.path().string(), "timers", std::to_string(kCases)}, acks_before_kill(random),
        [&](const std::string& id, std::uint64_t version) { acknowledged[id] = std::max(acknowledged[id], version); },
        /*may_finish=*/true);
    auto store = reopen(dir.path());
    for (const auto& [case_id, acked] : acknowledged) {
      auto stored = store->load(case_id);
      REQUIRE_MESSAGE(stored.has_value(), stored.error().message);
      REQUIRE(stored->has_value());
      CHECK((*stored)->snapshot.version >= acked);
    }
  }
  // Let the last one finish: every case ends as it does without kills, each
  // timeout acted on once, none lost and none twice.
  REQUIRE(run_to_the_end({dir.path().string(), "timers", std::to_string(kCases)}));
  const auto got = histories(*reopen(dir.path()));
  REQUIRE(got.size() == expected.size());
  for (const auto& [case_id, events] : expected) {
    CAPTURE(case_id);
    REQUIRE(got.count(case_id) == 1);
    CHECK(got.at(case_id) == events);
  }
  MESSAGE(kKills << " kills while " << kCases << " cases' timers fell due");
}

namespace {

// Cases accepted on Thursday 12 February 2026, and a notice extending the
// Spring Festival imported, not yet applied.
void accepted_cases_and_an_import(const std::filesystem::path& data, int cases) {
  DurableStoreOptions where;
  where.path = data;
  auto store = *open_durable_store(where);
  EngineOptions options;
  options.clock = std::make_shared<ManualClock>(*parse_time("2026-02-12T10:00:00+08:00"));
  options.store = store;
  auto engine = std::move(*Engine::open(std::move(options)));
  for (int i = 0; i < cases; ++i) {
    const std::string key = "K-" + std::to_string(i);
    auto opened = engine->submit(Command{"", key, std::nullopt, "test", leak_report()}).get();
    REQUIRE(opened.has_value());
    REQUIRE(engine->submit(Command{opened->case_id, key + "/d", std::nullopt, "test", cmd::Dispatch{}}).get());
    REQUIRE(engine->submit(Command{opened->case_id, key + "/a", std::nullopt, "test", cmd::Accept{}}).get());
  }
  REQUIRE(store->add_calendar_import(
      CalendarImport{1, *parse_time("2026-02-16T09:00:00+08:00"), "extended.json", extended_spring_festival_notice()}));
}

}  // namespace

TEST_CASE("ARecomputationKilledHalfwayFinishesOnceForEveryCase") {
  constexpr int kCases = 1000;
  TempDir dir;
  accepted_cases_and_an_import(dir.path(), kCases);
  std::mt19937 random(20260216);
  constexpr int kKills = 8;
  int interrupted = 0;  // kills that left the recomputation unrecorded
  std::size_t left = kCases;  // cases not yet recomputed
  for (int cycle = 0; cycle < kKills && left > 1; ++cycle) {
    int out = -1;
    const pid_t child = spawn_child({dir.path().string(), "recompute"}, out);
    AckReader reader(out);
    std::string id;
    std::uint64_t version = 0;
    // Killed after a part of what is left, up to half of it: decisions go on
    // while the kill is on its way.
    const auto wanted = std::uniform_int_distribution<std::size_t>(1, std::max<std::size_t>(1, left / 2))(random);
    for (std::size_t seen = 0; seen < wanted && reader.next(id, version); ++seen) {
    }
    REQUIRE(kill(child, SIGKILL) == 0);
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    close(out);
    auto store = reopen(dir.path());
    interrupted += *store->calendar_applied() == 0;
    left = 0;
    for (const auto& case_id : store->case_ids()) {
      const auto loaded = store->load(case_id);
      REQUIRE((loaded && *loaded));
      left += event_type((*loaded)->events.back().payload) != EventType::kDeadlinesRecomputed;
    }
  }
  CHECK(interrupted > 0);
  REQUIRE(run_to_the_end({dir.path().string(), "recompute"}));

  auto store = reopen(dir.path());
  CHECK(*store->calendar_applied() == 1);
  REQUIRE(store->case_ids().size() == kCases);
  for (const auto& case_id : store->case_ids()) {
    CAPTURE(case_id);
    auto stored = store->load(case_id);
    REQUIRE(stored.has_value());
    CHECK(wholeness_problem(**stored) == "");
    const auto& events = (*stored)->events;
    CHECK(std::count_if(events.begin(), events.end(), [](const Event& e) {
            return event_type(e.payload) == EventType::kDeadlinesRecomputed;
          }) == 1);
    CHECK((*stored)->snapshot.resolve_by == *parse_time("2026-02-27T00:00:00+08:00"));
    CHECK((*stored)->snapshot.reply_by == *parse_time("2026-03-14T00:00:00+08:00"));
  }
  MESSAGE(kKills << " kills, " << interrupted << " of them mid-recomputation, of " << kCases << " cases");
}

// A calendar import taken into force by an engine, killed at any moment of
// its recount or its recomputation, from a store of its own each time: the
// next open finishes it, every case recomputed once and every counter as a
// recount on the new calendar gives it.
TEST_CASE("ACalendarImportKilledAtAnyMomentIsFinishedByTheNextOpenAndItsCountersAgree") {
  constexpr int kCycles = 20, kCases = 30;
  std::mt19937 random(20261207);
  // 0: killed at once, before or while it recounts.
  std::uniform_int_distribution<int> acks_before_kill(0, kCases);
  int before_recount = 0;  // kills that left the counters on the old calendar
  int mid_recompute = 0;   // kills that left them recounted but deadlines not all recomputed
  for (int cycle = 0; cycle < kCycles; ++cycle) {
    CAPTURE(cycle);
    TempDir dir;
    accepted_cases_and_an_import(dir.path(), kCases);
    kill_at_acknowledgement({dir.path().string(), "recompute"}, acks_before_kill(random),
                            [](const std::string&, std::uint64_t) {}, true);
    {
      auto store = reopen(dir.path());
      const auto calendars = calendars_in_force(shipped_calendar(), *store);
      REQUIRE(calendars.has_value());
      const auto stamp = store->stats_stamp();
      REQUIRE(stamp.has_value());
      const bool recounted = *stamp && (**stamp).calendar == calendars->current->version();
      before_recount += !recounted;
      mid_recompute += recounted && *store->calendar_applied() == 0;
    }
    REQUIRE(run_to_the_end({dir.path().string(), "recompute"}));

    auto store = reopen(dir.path());
    CHECK(*store->calendar_applied() == 1);
    const auto calendars = calendars_in_force(shipped_calendar(), *store);
    REQUIRE(calendars.has_value());
    CHECK((**store->stats_stamp()).calendar == calendars->current->version());
    const auto differences = stats::counter_differences(*store, *calendars->current);
    REQUIRE(differences.has_value());
    CHECK_MESSAGE(differences->empty(), differences->front());
    for (const auto& case_id : store->case_ids()) {
      CAPTURE(case_id);
      auto stored = store->load(case_id);
      REQUIRE((stored.has_value() && *stored));
      const auto& events = (*stored)->events;
      CHECK(std::count_if(events.begin(), events.end(), [](const Event& e) {
              return event_type(e.payload) == EventType::kDeadlinesRecomputed;
            }) == 1);
    }
    store.reset();
    auto audited = audit_store(dir.path());
    REQUIRE_MESSAGE(audited.has_value(), audited.error().message);
    CHECK(audited->breaks.empty());
  }
  MESSAGE(kCycles << " kills: " << before_recount << " before the counters were recounted, " << mid_recompute
                  << " after it and before every deadline was recomputed");
}

TEST_CASE("AMergeKilledAtAnyMomentIsOnBothCasesOrOnNeither") {
  TempDir dir;
  std::map<std::string, std::uint64_t> acknowledged;  // duplicate → its version when merged
  std::mt19937 random(20251124);
  std::uniform_int_distribution<int> acks_before_kill(1, 80);
  constexpr int kCycles = 20;
  for (int cycle = 0; cycle < kCycles; ++cycle) {
    CAPTURE(cycle);
    kill_at_acknowledgement({dir.path().string(), "merges", std::to_string(cycle)}, acks_before_kill(random),
                            [&](const std::string& id, std::uint64_t version) { acknowledged[id] = version; });

    std::map<std::string, std::string> merged_into;          // from the duplicates' side
    std::map<std::string, std::vector<std::string>> taken_in;  // from the primaries' side
    {
      auto store = reopen(dir.path());
      for (const auto& case_id : store->case_ids()) {
        auto stored = store->load(case_id);
        REQUIRE_MESSAGE(stored.has_value(), stored.error().message);
        CHECK(wholeness_problem(**stored) == "");
        if (!(*stored)->snapshot.merged_into.empty()) merged_into[case_id] = (*stored)->snapshot.merged_into;
        for (const auto& e : (*stored)->events) {
          if (const auto* in = std::get_if<ev::DuplicateMergedIn>(&e.payload)) taken_in[case_id].push_back(in->duplicate);
        }
        CHECK((*stored)->snapshot.duplicates == taken_in[case_id]);
      }
    }
    for (const auto& [duplicate, acked] : acknowledged) {
      CAPTURE(duplicate);
      CHECK(merged_into.contains(duplicate));
    }
    std::size_t pairs = 0;
    for (const auto& [primary, duplicates] : taken_in) {
      for (const auto& duplicate : duplicates) {
        CAPTURE(duplicate);
        CHECK(merged_into[duplicate] == primary);
        ++pairs;
      }
    }
    CHECK(pairs == merged_into.size());
    auto audited = audit_store(dir.path());
    REQUIRE_MESSAGE(audited.has_value(), audited.error().message);
    CHECK(audited->breaks.empty());
  }
  MESSAGE(kCycles << " kills, " << acknowledged.size() << " merges acknowledged");
}

TEST_CASE("AReplyKilledAtAnyMomentReachesEveryMergedReportOrNone") {
  TempDir dir;
  std::map<std::string, std::uint64_t> acknowledged;  // primary → its version when replied
  std::mt19937 random(20261207);
  std::uniform_int_distribution<int> acks_before_kill(1, 30);
  constexpr int kCycles = 12;
  std::size_t told = 0;
  for (int cycle = 0; cycle < kCycles; ++cycle) {
    CAPTURE(cycle);
    kill_at_acknowledgement({dir.path().string(), "relays", std::to_string(cycle)}, acks_before_kill(random),
                            [&](const std::string& id, std::uint64_t version) { acknowledged[id] = version; });

    std::set<std::string> replied;                      // primaries whose reply is stored
    std::map<std::string, std::string> relayed_from;     // report → the primary whose answer it holds
    std::map<std::string, std::vector<std::string>> duplicates;
    {
      auto store = reopen(dir.path());
      for (const auto& case_id : store->case_ids()) {
        auto stored = store->load(case_id);
        REQUIRE_MESSAGE(stored.has_value(), stored.error().message);
        CHECK(wholeness_problem(**stored) == "");
        duplicates[case_id] = (*stored)->snapshot.duplicates;
        for (const auto& e : (*stored)->events) {
          if (std::holds_alternative<ev::CaseReplied>(e.payload)) replied.insert(case_id);
          if (const auto* r = std::get_if<ev::AnswerRelayed>(&e.payload)) relayed_from[case_id] = r->from;
        }
      }
    }
    for (const auto& [primary, version] : acknowledged) {
      CAPTURE(primary);
      CHECK(replied.contains(primary));
    }
    // Both ways: a stored reply was told to both reports below it, and a
    // report holds only an answer that was stored on its primary.
    for (const auto& primary : replied) {
      CAPTURE(primary);
      REQUIRE(duplicates[primary].size() == 1);
      const auto& report = duplicates[primary].front();
      REQUIRE(duplicates[report].size() == 1);
      CHECK(relayed_from[report] == primary);
      CHECK(relayed_from[duplicates[report].front()] == primary);
    }
    for (const auto& [report, primary] : relayed_from) {
      CAPTURE(report);
      CHECK(replied.contains(primary));
    }
    told = relayed_from.size();
    auto audited = audit_store(dir.path());
    REQUIRE_MESSAGE(audited.has_value(), audited.error().message);
    CHECK(audited->breaks.empty());
  }
  MESSAGE(kCycles << " kills, " << acknowledged.size() << " replies acknowledged, " << told << " reports told");
}

namespace {

// Whether any file under `dir` holds `text`, byte for byte.
bool a_file_holds(const std::filesystem::path& dir, const std::string& text) {
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.find(text) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("AnErasureKilledAtAnyMomentLeavesNoErasedTextOnceTheStoreIsOpenedAgain") {
  std::mt19937 random(20261208);
  constexpr int kCycles = 20, kCases = 5;
  std::uniform_int_distribution<int> acks_before_kill(1, kCases);
  int interrupted = 0;
  for (int cycle = 0; cycle < kCycles; ++cycle) {
    CAPTURE(cycle);
    TempDir dir;
    // Closed cases of one resident, each with words of its own to look for.
    std::map<std::string, std::string> words;
    {
      auto engine = engine_on(open_durable_at(dir.path()), 0);
      for (int i = 0; i < kCases; ++i) {
        cmd::Open open = leak_report();
        open.reporter = Reporter{"欧阳娜娜", "13976543210", ""};
        open.content = "外墙渗水第" + std::to_string(cycle) + "轮第" + std::to_string(i) + "件";
        const std::string key = "GD-" + std::to_string(i);
        auto opened = engine->submit(command("", key, open)).get();
        REQUIRE(opened.has_value());
        for (const auto& step : {CommandPayload{cmd::ReplyOnSpot{Outcome::kResolved, "已处理"}},
                                 CommandPayload{cmd::Rate{Rating::kSatisfied, ""}}, CommandPayload{cmd::Close{""}}}) {
          REQUIRE(engine->submit(command(opened->case_id, key + "/" + std::to_string(step.index()), step)).get().has_value());
        }
        words[opened->case_id] = open.content;
      }
    }
    kill_at_acknowledgement({dir.path().string(), "erase", "13976543210"}, acks_before_kill(random),
                            [](const std::string&, std::uint64_t) {}, true);

    bool pending = false;
    {
      RawStore raw(dir.path());
      std::string value;
      pending = raw.db().Get(rocksdb::ReadOptions(), raw.family("meta"), "purge_pending", &value).ok();
    }
    interrupted += pending ? 1 : 0;
    // Opening finishes what the kill left; a second open starts a manifest without the old files' keys.
    reopen(dir.path()).reset();
    auto store = reopen(dir.path());
    for (const auto& [case_id, text] : words) {
      CAPTURE(case_id);
      auto stored = store->load(case_id);
      REQUIRE((stored.has_value() && *stored));
      const bool erased = (*stored)->snapshot.personal_data_erased_at.has_value();
      CHECK(a_file_holds(dir.path(), text) == !erased);
    }
    store.reset();
    auto audited = audit_store(dir.path());
    REQUIRE_MESSAGE(audited.has_value(), audited.error().message);
    CHECK(audited->breaks.empty());
  }
  MESSAGE(kCycles << " kills, " << interrupted << " of them after an erasure and before its purge");
}

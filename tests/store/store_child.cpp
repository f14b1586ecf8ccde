// The process the kill tests kill: an engine on a durable store. Every
// acknowledgement is written to stdout as "CASE_ID VERSION" the moment the
// future returns, so the parent knows what was acknowledged before it sent
// SIGKILL.
//
// Usage: escalator_store_child DATA_DIR ROUND
//          clients take cases from Open to Closed as fast as they can
//        escalator_store_child DATA_DIR timers CASES
//          opens and dispatches CASES cases (again: their keys make it a no-op),
//          then, on a clock past every deadline, fires due timers round after
//          round until none is due, prints "done" and exits 0
//        escalator_store_child DATA_DIR merges ROUND
//          opens four primaries (again: their keys make it a no-op), then
//          clients open duplicates and merge each into one of them, printing
//          "DUPLICATE VERSION" as each merge is acknowledged
//        escalator_store_child DATA_DIR relays ROUND
//          clients open a primary and two reports, merge one report into the
//          other and that into the primary, and reply on the primary, printing
//          "PRIMARY VERSION" as each reply (told to both reports) is acknowledged
//        escalator_store_child DATA_DIR erase PHONE
//          erases the personal data of every case of the resident with that
//          phone, as `escalator erase` does, printing "CASE_ID VERSION" as each
//          erasure is acknowledged; then rewrites the files, prints "done"
//          and exits 0
//        escalator_store_child DATA_DIR recompute
//          opens an engine on 2026-02-16 10:00, which recomputes running
//          deadlines for a calendar import not yet applied, printing
//          "CASE_ID 0" as each case's recomputation is decided; then "done"
#include <unistd.h>

#include <cstdio>
#include <string>
#include <future>
#include <thread>
#include <vector>

#include "escalator/engine/engine.hpp"
#include "store_support.hpp"

using namespace escalator;

namespace {

void tell(const Decision& d) {
  const std::string line = d.case_id + " " + std::to_string(d.version) + "\n";
  (void)!write(STDOUT_FILENO, line.data(), line.size());  // one write: lines never interleave
}

}  // namespace

// Reports each decided command, as the engine logs it.
class DecidedReporter final : public Logger {
 public:
  void log(const LogRecord& record) override {
    if (record.message != "command decided") return;
    const std::string line = std::string(record.case_id) + " 0\n";
    (void)!write(STDOUT_FILENO, line.data(), line.size());
  }
};

int open_and_recompute(const std::shared_ptr<CaseStore>& store) {
  EngineOptions options;
  options.clock = std::make_shared<ManualClock>(*parse_time("2026-02-16T10:00:00+08:00"));
  options.store = store;
  options.logger = std::make_shared<DecidedReporter>();
  auto engine = Engine::open(std::move(options));
  if (!engine) return 1;
  // None: an earlier run finished the recomputation and recorded it.
  if (const auto& recount = (*engine)->calendar_recount(); recount && !recount->problems.empty()) return 1;
  (void)!write(STDOUT_FILENO, "done\n", 5);
  return 0;
}

// Every case climbs the ladder on timeouts alone, on a clock long past its deadlines.
int fire_until_none_due(const std::shared_ptr<CaseStore>& store, int cases) {
  EngineOptions options;
  auto clock = std::make_shared<ManualClock>(*parse_time("2025-11-11T09:00:00+08:00"));
  options.clock = clock;
  options.store = store;
  auto engine = Engine::open(std::move(options));
  if (!engine) return 1;
  std::vector<std::future<Result<Decision>>> opened;
  for (int i = 0; i < cases; ++i) {
    opened.push_back((*engine)->submit(Command{"", "T-" + std::to_string(i), std::nullopt, "child", testing::leak_report()}));
  }
  std::vector<std::future<Result<Decision>>> dispatched;
  for (auto& f : opened) {
    auto d = f.get();
    if (!d) return 1;
    dispatched.push_back((*engine)->submit(Command{d->case_id, "d", std::nullopt, "child", cmd::Dispatch{}}));
  }
  for (auto& f : dispatched) {
    auto d = f.get();
    if (!d) return 1;
    tell(*d);
  }
  clock->set(*parse_time("2026-06-01T00:00:00+08:00"));
  // A round in which nothing new happens ends it: a stored timer refused
  // again and again would otherwise keep the loop going.
  for (bool moved = true; moved;) {
    moved = false;
    for (const auto& d : (*engine)->fire_due_timers()) {
      if (!d || d->duplicate) continue;
      tell(*d);
      moved = true;
    }
  }
  (void)!write(STDOUT_FILENO, "done\n", 5);
  return 0;
}

// Clients merge duplicates into four shared primaries, so a merge often finds
// its primary busy with another one's write.
int merge_duplicates(const std::shared_ptr<CaseStore>& store, const std::string& round) {
  EngineOptions options;
  options.clock = std::make_shared<ManualClock>(*parse_time("2025-11-11T09:00:00+08:00"));
  options.store = store;
  auto engine = Engine::open(std::move(options));
  if (!engine) return 1;
  std::vector<std::string> primaries;
  for (int p = 0; p < 4; ++p) {
    auto opened = (*engine)->submit(Command{"", "P-" + std::to_string(p), std::nullopt, "child", testing::leak_report()}).get();
    if (!opened) return 1;
    primaries.push_back(opened->case_id);
  }
  std::vector<std::thread> clients;
  for (int c = 0; c < 8; ++c) {
    clients.emplace_back([&, c] {
      for (int i = 0;; ++i) {
        const std::string order = "M" + round + "-c" + std::to_string(c) + "-" + std::to_string(i);
        auto opened = (*engine)->submit(Command{"", order, std::nullopt, "child", testing::leak_report()}).get();
        if (!opened) return;
        const auto& into = primaries[static_cast<std::size_t>(c + i) % primaries.size()];
        auto merged = (*engine)->submit(Command{opened->case_id, order + "/m", std::nullopt, "child", cmd::Merge{into}}).get();
        if (!merged) return;
        tell(*merged);
      }
    });
  }
  for (auto& c : clients) c.join();
  return 1;  // only reached when a command failed
}

// Each reply is written on three cases at once: the primary, the report
// merged into it and the one merged into that.
int relay_replies(const std::shared_ptr<CaseStore>& store, const std::string& round) {
  EngineOptions options;
  options.clock = std::make_shared<ManualClock>(*parse_time("2025-11-11T09:00:00+08:00"));
  options.store = store;
  auto engine = Engine::open(std::move(options));
  if (!engine) return 1;
  std::vector<std::thread> clients;
  for (int c = 0; c < 8; ++c) {
    clients.emplace_back([&, c] {
      const auto submit = [&](const std::string& id, const std::string& key, CommandPayload p) {
        return (*engine)->submit(Command{id, key, std::nullopt, "child", std::move(p)}).get();
      };
      for (int i = 0;; ++i) {
        const std::string order = "A" + round + "-c" + std::to_string(c) + "-" + std::to_string(i);
        auto primary = submit("", order, testing::leak_report());
        auto report = submit("", order + "-d", testing::leak_report());
        auto below = submit("", order + "-b", testing::leak_report());
        if (!primary || !report || !below) return;
        if (!submit(below->case_id, order + "/mb", cmd::Merge{report->case_id})) return;
        if (!submit(report->case_id, order + "/md", cmd::Merge{primary->case_id})) return;
        if (!submit(primary->case_id, order + "/d", cmd::Dispatch{})) return;
        if (!submit(primary->case_id, order + "/a", cmd::Accept{})) return;
        auto replied = submit(primary->case_id, order + "/r", cmd::Reply{Outcome::kResolved, "已维修完毕"});
        if (!replied) return;
        tell(*replied);
      }
    });
  }
  for (auto& c : clients) c.join();
  return 1;  // only reached when a command failed
}

int erase_resident(const std::shared_ptr<CaseStore>& store, const std::string& phone) {
  auto cases = store->cases_of_resident(phone);
  if (!cases) return 1;
  {
    EngineOptions options;
    options.config.limits.worker_threads = 0;
    options.clock = std::make_shared<ManualClock>(*parse_time("2026-06-01T09:00:00+08:00"));
    options.store = store;
    auto engine = Engine::open(std::move(options));
    if (!engine) return 1;
    for (const auto& id : *cases) {
      auto erased = (*engine)->submit(Command{id, "erase/" + id, std::nullopt, "child", cmd::ErasePersonalData{"保存期满"}}).get();
      if (!erased) return 1;
      tell(*erased);
    }
  }
  if (!store->purge_deleted()) return 1;
  (void)!write(STDOUT_FILENO, "done\n", 5);
  return 0;
}

int main(int argc, char** argv) {
  const bool with_count = argc == 4 && (std::string(argv[2]) == "timers" || std::string(argv[2]) == "merges" ||
                                        std::string(argv[2]) == "relays" || std::string(argv[2]) == "erase");
  if (argc != 3 && !with_count) {
    std::fprintf(stderr,
                 "usage: %s DATA_DIR ROUND | %s DATA_DIR timers CASES | %s DATA_DIR merges ROUND | %s DATA_DIR "
                 "relays ROUND | %s DATA_DIR recompute\n",
                 argv[0], argv[0], argv[0], argv[0], argv[0]);
    return 2;
  }
  DurableStoreOptions store_options;
  store_options.path = argv[1];
  auto store = open_durable_store(store_options);
  if (!store) {
    std::fprintf(stderr, "%s\n", store.error().message.c_str());
    return 1;
  }
  if (argc == 4 && std::string(argv[2]) == "merges") return merge_duplicates(*store, argv[3]);
  if (argc == 4 && std::string(argv[2]) == "relays") return relay_replies(*store, argv[3]);
  if (argc == 4 && std::string(argv[2]) == "erase") return erase_resident(*store, argv[3]);
  if (argc == 4) return fire_until_none_due(*store, std::stoi(argv[3]));
  if (std::string(argv[2]) == "recompute") return open_and_recompute(*store);
  EngineOptions options;
  options.clock = std::make_shared<ManualClock>(*parse_time("2025-11-11T09:00:00+08:00"));
  options.store = *store;
  auto engine = Engine::open(std::move(options));
  if (!engine) return 1;
  const std::string round = argv[2];
  std::vector<std::thread> clients;
  for (int c = 0; c < 8; ++c) {
    clients.emplace_back([&, c] {
      for (int i = 0;; ++i) {
        const std::string order = "R" + round + "-c" + std::to_string(c) + "-" + std::to_string(i);
        auto opened = (*engine)->submit(Command{"", order, std::nullopt, "child", testing::leak_report()}).get();
        if (!opened) return;
        tell(*opened);
        int n = 0;
        for (auto& step : testing::to_closure()) {
          auto done = (*engine)->submit(Command{opened->case_id, order + "/" + std::to_string(++n), std::nullopt,
                                                "child", step}).get();
          if (!done) return;
          tell(*done);
        }
      }
    });
  }
  for (auto& c : clients) c.join();
  return 1;  // only reached when a command failed
}

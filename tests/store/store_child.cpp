// The process the kill test kills: an engine on a durable store, with clients
// taking cases from Open to Closed as fast as they can. Every acknowledgement
// is written to stdout as "CASE_ID VERSION" the moment the future returns, so
// the parent knows what was acknowledged before it sent SIGKILL.
//
// Usage: escalator_store_child DATA_DIR ROUND
#include <unistd.h>

#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "escalator/engine.hpp"
#include "escalator/standins.hpp"
#include "store_support.hpp"

using namespace escalator;

namespace {

void tell(const Decision& d) {
  const std::string line = d.case_id + " " + std::to_string(d.version) + "\n";
  (void)!write(STDOUT_FILENO, line.data(), line.size());  // one write: lines never interleave
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s DATA_DIR ROUND\n", argv[0]);
    return 2;
  }
  DurableStoreOptions store_options;
  store_options.path = argv[1];
  auto store = open_durable_store(store_options);
  if (!store) {
    std::fprintf(stderr, "%s\n", store.error().message.c_str());
    return 1;
  }
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

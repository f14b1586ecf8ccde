// SIGKILL at random moments: after every restart, each command the killed
// process acknowledged is in the store, and every stored case is whole.
#include <doctest/doctest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <random>
#include <sstream>
#include <string>

#include "escalator/store.hpp"
#include "store_support.hpp"

using namespace escalator;
using namespace escalator::testing;

namespace {

// Reads "CASE_ID VERSION" lines from a pipe.
class AckReader {
 public:
  explicit AckReader(int fd) : fd_(fd) {}
  // The next acknowledgement; false at end of stream.
  bool next(std::string& case_id, std::uint64_t& version) {
    for (;;) {
      if (auto end = buffer_.find('\n'); end != std::string::npos) {
        std::istringstream line(buffer_.substr(0, end));
        buffer_.erase(0, end + 1);
        line >> case_id >> version;
        return true;
      }
      char chunk[4096];
      const auto got = read(fd_, chunk, sizeof chunk);
      if (got <= 0) return false;
      buffer_.append(chunk, static_cast<std::size_t>(got));
    }
  }

 private:
  int fd_;
  std::string buffer_;
};

pid_t spawn_child(const std::filesystem::path& data, int round, int& out_fd) {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  const std::string program = ESCALATOR_STORE_CHILD;
  const std::string dir = data.string();
  const std::string round_text = std::to_string(round);
  char* argv[] = {const_cast<char*>(program.c_str()), const_cast<char*>(dir.c_str()),
                  const_cast<char*>(round_text.c_str()), nullptr};
  pid_t pid = 0;
  REQUIRE(posix_spawn(&pid, program.c_str(), &actions, nullptr, argv, environ) == 0);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  out_fd = fds[0];
  return pid;
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
    int out = -1;
    const pid_t child = spawn_child(dir.path(), cycle, out);
    AckReader reader(out);
    std::string id;
    std::uint64_t version = 0;
    const int wanted = acks_before_kill(random);
    int seen = 0;
    while (seen < wanted && reader.next(id, version)) {
      acknowledged[id] = std::max(acknowledged[id], version);
      ++seen;
    }
    REQUIRE_MESSAGE(seen == wanted, "the child stopped on its own");
    REQUIRE(kill(child, SIGKILL) == 0);
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    CHECK(WIFSIGNALED(status));
    // What it wrote before it died was acknowledged too.
    while (reader.next(id, version)) {
      acknowledged[id] = std::max(acknowledged[id], version);
      ++seen;
    }
    close(out);
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

// `escalator serve` SIGKILLed at random moments while clients send commands
// over HTTP: after each restart, every command answered 2xx is in the store,
// and the store passes audit.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "escalator/access/keys.hpp"
#include "escalator/store/audit.hpp"
#include "http_support.hpp"
#include "store_support.hpp"

using namespace escalator;
using namespace escalator::testing;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

// The server as a child process, its port read from what it prints.
struct Server {
  pid_t pid = 0;
  std::uint16_t port = 0;

  Server(const std::filesystem::path& data, const std::filesystem::path& log, std::vector<std::string> extra = {}) {
    int out[2];
    REQUIRE(pipe(out) == 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    std::string program = ESCALATOR_BINARY, serve = "serve", data_flag = "--data", where = data.string(),
                port_flag = "--port", any = "0";
    std::vector<char*> argv = {program.data(), serve.data(), data_flag.data(), where.data(), port_flag.data(), any.data()};
    for (auto& word : extra) argv.push_back(word.data());
    argv.push_back(nullptr);
    REQUIRE(posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ) == 0);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    std::string printed;
    char buffer[256];
    while (printed.find("Ctrl-C") == std::string::npos) {
      const auto got = read(out[0], buffer, sizeof buffer);
      if (got <= 0) break;
      printed.append(buffer, static_cast<std::size_t>(got));
    }
    close(out[0]);
    const auto at = printed.find("http://127.0.0.1:");
    REQUIRE_MESSAGE(at != std::string::npos, printed);
    port = static_cast<std::uint16_t>(std::stoi(printed.substr(at + 17)));
  }

  void kill_now() {
    ::kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
  }
};

// Every 2xx answer the clients received: each case's last version answered,
// and how many answers, which the test waits on to choose its moment.
struct Acknowledged {
  std::mutex mutex;
  std::condition_variable grew;
  std::map<std::string, std::uint64_t> versions;
  std::uint64_t answers = 0;

  void saw(const std::string& id, std::uint64_t version) {
    std::lock_guard lock(mutex);
    versions[id] = version;
    ++answers;
    grew.notify_all();
  }
  // Waits until `n` answers in all have come, or the clients have stopped.
  void wait_for(std::uint64_t n, const std::atomic<int>& driving) {
    std::unique_lock lock(mutex);
    grew.wait(lock, [&] { return answers >= n || driving.load() == 0; });
  }
};

// One request on an open connection, and its answer; `ec` says why there was none.
bhttp::response<bhttp::string_body> exchange(beast::tcp_stream& stream, beast::flat_buffer& buffer, bhttp::verb verb,
                                             const std::string& target, const std::string& body,
                                             const std::vector<std::pair<std::string, std::string>>& headers,
                                             beast::error_code& ec) {
  bhttp::request<bhttp::string_body> request{verb, target, 11};
  request.set(bhttp::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers) request.set(name, value);
  if (!body.empty()) request.set(bhttp::field::content_type, "application/json");
  request.body() = body;
  request.prepare_payload();
  bhttp::response<bhttp::string_body> reply;
  bhttp::write(stream, request, ec);
  if (!ec) bhttp::read(stream, buffer, reply, ec);
  return reply;
}

// One client's cases, each taken from open to closed, one command at a time.
// Records the version of every 2xx answer; stops at the first failed connection.
void drive(std::uint16_t port, const std::string& prefix, Acknowledged& acknowledged) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  beast::error_code ec;
  stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
  if (ec) return;
  beast::flat_buffer buffer;
  const auto send = [&](const std::string& target, const std::string& body, const std::string& key) {
    const auto reply = exchange(stream, buffer, bhttp::verb::post, target, body, {{"Idempotency-Key", key}}, ec);
    return ec ? std::optional<nlohmann::json>() : std::optional(nlohmann::json::parse(reply.body(), nullptr, false));
  };
  const std::vector<std::pair<std::string, std::string>> steps = {
      {"dispatch", ""}, {"accept", ""}, {"reply", R"({"answer":"已修复"})"},
      {"follow_up", ""}, {"rate", R"({"rating":"satisfied"})"}, {"close", ""}};
  for (int i = 0;; ++i) {
    auto body = leak_body();
    body["external_id"] = prefix + "-" + std::to_string(i);
    auto opened = send("/v1/cases", body.dump(), prefix + "-" + std::to_string(i));
    if (!opened || !opened->contains("case_id")) return;
    const auto id = (*opened)["case_id"].get<std::string>();
    acknowledged.saw(id, (*opened)["version"].get<std::uint64_t>());
    for (const auto& [name, step_body] : steps) {
      auto moved = send("/v1/cases/" + id + "/" + name, step_body, id + "/" + name);
      if (!moved || !moved->contains("version")) return;
      acknowledged.saw(id, (*moved)["version"].get<std::uint64_t>());
    }
  }
}

}  // namespace

TEST_CASE("EveryCommandAnswered2xxSurvivesASigkillOfTheServer") {
  TempDir dir;
  const auto data = dir.path() / "data";
  Acknowledged acknowledged;
  std::mt19937 random(20261207);
  constexpr int kKills = 20, kClients = 4;
  for (int round = 0; round < kKills; ++round) {
    Server server(data, dir.path() / "serve.log");
    std::atomic<int> driving{kClients};
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c) {
      clients.emplace_back([&, c] {
        drive(server.port, "K" + std::to_string(round) + "-" + std::to_string(c), acknowledged);
        --driving;
        acknowledged.grew.notify_all();
      });
    }
    // The kill comes after a random number of answers, with the clients'
    // next commands in flight: mid-write as likely as not.
    std::uint64_t answers_so_far = 0;
    {
      std::lock_guard lock(acknowledged.mutex);
      answers_so_far = acknowledged.answers;
    }
    acknowledged.wait_for(answers_so_far + std::uniform_int_distribution<std::uint64_t>(1, 400)(random), driving);
    server.kill_now();
    for (auto& t : clients) t.join();
  }
  const auto& versions = acknowledged.versions;
  REQUIRE(versions.size() > 20);
  auto store = open_durable_at(data);
  for (const auto& [id, version] : versions) {
    auto stored = store->load(id);
    REQUIRE_MESSAGE(stored.has_value(), id);
    REQUIRE_MESSAGE(stored->has_value(), id << " was acknowledged and is not in the store");
    CHECK_MESSAGE((*stored)->snapshot.version >= version, id);
  }
  store.reset();
  auto audited = audit_store(data);
  REQUIRE_MESSAGE(audited.has_value(), audited.error().message);
  CHECK(audited->breaks.empty());
  MESSAGE(kKills << " kills, " << versions.size() << " cases acknowledged");
}

// Reads in clear with a key, SIGKILLed at random: every read answered 200 is
// in the access log after the restart (its X-Request-Id names it), and the
// log's chain audits clean.
TEST_CASE("EveryReadInClearAnswered200IsInTheAccessLogAfterASigkill") {
  TempDir dir;
  const auto data = dir.path() / "data";
  const auto keys = dir.path() / "keys.json";
  auto dispatcher = access::make_key("派单中心", access::Role::kDispatcher, {}, std::nullopt, "2025-11-11T09:00:00+08:00");
  REQUIRE(dispatcher.has_value());
  REQUIRE(access::write_keys_file(keys, {dispatcher->entry}));
  std::mt19937 random(20261208);
  std::set<std::string> answered;  // the request ids of reads answered 200
  for (int round = 0; round < 10; ++round) {
    Server server(data, dir.path() / "serve.log", {"--keys", keys.string()});
    asio::io_context io;
    beast::tcp_stream stream(io);
    stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server.port));
    beast::flat_buffer buffer;
    const auto keyed = [&](bhttp::verb verb, const std::string& target, const std::string& body,
                           const std::string& request_id, beast::error_code& ec) {
      return exchange(stream, buffer, verb, target, body,
                      {{"Authorization", "Bearer " + dispatcher->text}, {"X-Request-Id", request_id}}, ec);
    };
    beast::error_code ec;
    auto body = leak_body();
    body["external_id"] = "R-" + std::to_string(round);
    const auto opened = keyed(bhttp::verb::post, "/v1/cases", body.dump(), "open-" + std::to_string(round), ec);
    REQUIRE(!ec);
    REQUIRE(opened.result_int() == 201);
    const auto id = nlohmann::json::parse(opened.body())["case_id"].get<std::string>();
    // The kill comes from another thread once a random number of reads were
    // answered, with the next one on its way: mid-read as likely as not.
    std::atomic<int> reads{0};
    std::thread killer([&server, &reads, after = std::uniform_int_distribution<int>(1, 50)(random)] {
      while (reads.load() < after) std::this_thread::yield();
      server.kill_now();
    });
    for (int i = 0;; ++i) {
      const auto request_id = "read-" + std::to_string(round) + "-" + std::to_string(i);
      const auto read = keyed(bhttp::verb::get, "/v1/cases/" + id, "", request_id, ec);
      if (ec) break;
      REQUIRE(read.result_int() == 200);
      answered.insert(request_id);
      ++reads;
    }
    killer.join();
  }
  REQUIRE(answered.size() > 10);
  auto store = open_durable_at(data);
  auto records = store->access_records(1, 1000000);
  REQUIRE(records.has_value());
  std::set<std::string> recorded;
  for (const auto& record : *records) recorded.insert(record.request_id);
  for (const auto& request_id : answered) CHECK_MESSAGE(recorded.contains(request_id), request_id << " was answered and is not in the access log");
  store.reset();
  auto audited = audit_store(data);
  REQUIRE_MESSAGE(audited.has_value(), audited.error().message);
  CHECK(audited->breaks.empty());
  CHECK(audited->access_records == records->size());
  MESSAGE(answered.size() << " reads answered, " << records->size() << " recorded");
}

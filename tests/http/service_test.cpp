// The server itself on 127.0.0.1, on a free port, through real sockets.
#include <doctest/doctest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "escalator/http/service.hpp"
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

using Reply = bhttp::response<bhttp::string_body>;

// One keep-alive connection, used from one thread.
struct Client {
  asio::io_context io;
  beast::tcp_stream stream{io};
  beast::flat_buffer buffer;

  explicit Client(std::uint16_t port) { stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port)); }

  Reply send(bhttp::verb verb, const std::string& target, const std::string& body = {},
             const std::map<std::string, std::string>& headers = {}) {
    bhttp::request<bhttp::string_body> request{verb, target, 11};
    request.set(bhttp::field::host, "127.0.0.1");
    for (const auto& [name, value] : headers) request.set(name, value);
    if (!body.empty()) request.set(bhttp::field::content_type, "application/json");
    request.body() = body;
    request.prepare_payload();
    bhttp::write(stream, request);
    auto reply = receive();
    // Every answer the server sends is held to the document, as the routes' are.
    http::Response seen;
    seen.status = reply.result_int();
    seen.content_type = std::string(reply[bhttp::field::content_type]);
    seen.body = reply.body();
    const auto nonconforming = OpenApi::document().check(std::string(request.method_string()), target, seen);
    CHECK_MESSAGE(nonconforming.empty(), nonconforming);
    return reply;
  }
  Reply receive() {
    Reply reply;
    bhttp::read(stream, buffer, reply);
    return reply;
  }
  // Whether the server has closed the connection: a read ends at once.
  bool closed_by_server() {
    beast::error_code ec;
    Reply reply;
    bhttp::read(stream, buffer, reply, ec);
    return ec == bhttp::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset;
  }
  void write_raw(const std::string& bytes) { asio::write(stream.socket(), asio::buffer(bytes)); }
};

struct Served {
  RoutesHarness engine;  // its routes unused: the service makes its own
  std::unique_ptr<http::HttpService> service;

  explicit Served(http::HttpLimits limits = {}, std::shared_ptr<CaseStore> store = nullptr, bool request_log = true,
                  std::filesystem::path backup_dir = "./data-backups")
      : engine(limits, std::move(store)) {
    http::HttpOptions options;
    options.port = 0;
    options.limits = limits;
    options.request_log = request_log;
    options.backup_dir = std::move(backup_dir);
    auto started = http::HttpService::start(*engine.engine, options, engine.log);
    REQUIRE(started.has_value());
    service = std::move(*started);
  }
  std::uint16_t port() const { return service->port(); }
};

// A store whose writes wait until the test lets them through.
struct GatedStore : ForwardingStore {
  std::mutex mutex;
  std::condition_variable changed;
  bool open = false;
  std::vector<std::function<void()>> held;

  void commit(std::span<CaseWrite> writes, Done done) override {
    std::unique_lock lock(mutex);
    if (open) {
      lock.unlock();
      return real->commit(writes, std::move(done));
    }
    held.push_back([this, writes, done = std::move(done)]() mutable { real->commit(writes, std::move(done)); });
    changed.notify_all();
  }
  void wait_for_a_write() {
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return !held.empty(); });
  }
  void let_through() {
    std::vector<std::function<void()>> writes;
    {
      std::lock_guard lock(mutex);
      open = true;
      writes.swap(held);
    }
    for (auto& w : writes) w();
  }
};

}  // namespace

TEST_CASE("ManyClientsOnManyCasesOverKeptAliveConnectionsLoseNoAcknowledgedCommand") {
  TempDir dir;
  std::map<std::string, std::uint64_t> acknowledged;
  std::mutex mutex;
  std::atomic<int> failures{0};
  {
    Served served({}, open_durable_at(dir.path()));
    constexpr int kClients = 8, kCasesEach = 6;
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c) {
      clients.emplace_back([&, c] {
        Client client(served.port());
        for (int i = 0; i < kCasesEach; ++i) {
          auto body = leak_body();
          body["external_id"] = "GD-" + std::to_string(c) + "-" + std::to_string(i);
          auto opened = client.send(bhttp::verb::post, "/v1/cases", body.dump());
          if (opened.result_int() != 201) {
            ++failures;
            continue;
          }
          const auto id = nlohmann::json::parse(opened.body())["case_id"].get<std::string>();
          for (const char* step : {"dispatch", "accept"}) {
            auto moved = client.send(bhttp::verb::post, "/v1/cases/" + id + "/" + step);
            if (moved.result_int() != 200) ++failures;
            std::lock_guard lock(mutex);
            acknowledged[id] = nlohmann::json::parse(moved.body()).value("version", 0u);
          }
        }
      });
    }
    for (auto& t : clients) t.join();
    CHECK(failures == 0);
    CHECK(acknowledged.size() == 8 * 6);
    served.service->stop();
  }
  // Every acknowledged command is in the store as it was answered.
  auto store = open_durable_at(dir.path());
  for (const auto& [id, version] : acknowledged) {
    auto stored = store->load(id);
    REQUIRE(stored.has_value());
    REQUIRE(stored->has_value());
    CHECK((*stored)->snapshot.version == version);
    CHECK((*stored)->snapshot.state == LifecycleState::kAccepted);
  }
}

TEST_CASE("OneConnectionCarriesManyRequestsAndHeadAnswersWithoutABody") {
  Served served;
  Client client(served.port());
  auto opened = client.send(bhttp::verb::post, "/v1/cases", leak_body().dump());
  REQUIRE(opened.result_int() == 201);
  const auto id = nlohmann::json::parse(opened.body())["case_id"].get<std::string>();
  auto read = client.send(bhttp::verb::get, "/v1/cases/" + id);
  CHECK(read.result_int() == 200);
  CHECK(read[bhttp::field::etag] == "\"1\"");
  CHECK(read[bhttp::field::content_type] == "application/json");
  auto health = client.send(bhttp::verb::get, "/healthz");
  CHECK(health.result_int() == 200);
  auto missing = client.send(bhttp::verb::get, "/v1/cases/nope");
  CHECK(missing.result_int() == 404);
  CHECK(missing[bhttp::field::content_type] == "application/problem+json");
}

TEST_CASE("ABodyOrHeadersOverTheirLimitsAreRefusedBeforeTheyAreRead") {
  http::HttpLimits limits;
  limits.max_body_bytes = 2048;
  limits.max_header_bytes = 1024;
  Served served(limits);
  {
    Client client(served.port());
    auto big = leak_body();
    big["content"] = std::string(4096, 'x');
    auto refused = client.send(bhttp::verb::post, "/v1/cases", big.dump());
    CHECK(refused.result_int() == 413);
    CHECK(nlohmann::json::parse(refused.body())["type"] == "https://escalator.example/problems/body-too-large");
    // Unread, yet answered with an id and logged under it.
    const std::string id(refused["X-Request-Id"]);
    CHECK(id.size() == 32);
    CHECK(served.engine.log_text.str().find("\"request_id\":\"" + id + "\"") != std::string::npos);
  }
  {
    Client client(served.port());
    auto refused = client.send(bhttp::verb::get, "/healthz", {}, {{"X-Padding", std::string(2000, 'p')}});
    CHECK(refused.result_int() == 431);
    CHECK(refused["X-Request-Id"].size() == 32);
  }
  {
    Client client(served.port());
    client.write_raw("NOT HTTP AT ALL\r\n\r\n");
    CHECK(client.receive().result_int() == 400);
  }
  CHECK(served.engine.engine->case_ids().empty());
}

TEST_CASE("AClientSendingAByteAtATimeHoldsOnlyItsOwnConnectionAndIsTimedOut") {
  http::HttpLimits limits;
  limits.request_timeout = std::chrono::milliseconds(300);
  Served served(limits);
  Client slow(served.port());
  slow.write_raw("P");  // a request begun and never finished
  Client quick(served.port());
  CHECK(quick.send(bhttp::verb::get, "/healthz").result_int() == 200);
  CHECK(quick.send(bhttp::verb::post, "/v1/cases", leak_body().dump()).result_int() == 201);
  // The slow client is told, once its time is up, and let go.
  CHECK(slow.receive().result_int() == 408);
  CHECK(slow.closed_by_server());
}

TEST_CASE("ConnectionsBeyondTheLimitAreAnswered503") {
  http::HttpLimits limits;
  limits.max_connections = 2;
  Served served(limits);
  Client first(served.port()), second(served.port());
  CHECK(first.send(bhttp::verb::get, "/healthz").result_int() == 200);
  CHECK(second.send(bhttp::verb::get, "/healthz").result_int() == 200);
  Client third(served.port());
  auto refused = third.receive();
  CHECK(refused.result_int() == 503);
  CHECK(refused[bhttp::field::retry_after] == "1");
}

TEST_CASE("StoppingAnswersTheCommandInFlightThenClosesAndTakesNoMore") {
  auto store = std::make_shared<GatedStore>();
  Served served({}, store);
  const auto port = served.port();
  Client client(port);
  std::thread sender([&] {
    auto opened = client.send(bhttp::verb::post, "/v1/cases", leak_body().dump());
    CHECK(opened.result_int() == 201);
  });
  store->wait_for_a_write();
  std::thread stopper([&] { served.service->stop(); });
  // Once the service takes no new connection, the stop is under way: it
  // waits for the write, which the store now lets through.
  const auto refused = [&] {
    beast::error_code ec;
    asio::io_context io;
    tcp::socket socket(io);
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
    return bool(ec);
  };
  while (!refused()) std::this_thread::yield();
  store->let_through();
  stopper.join();
  sender.join();
  CHECK(client.closed_by_server());
  CHECK(served.engine.engine->case_ids().size() == 1);
}

TEST_CASE("TheServiceRefusesToListenBeyondLoopbackWithoutAccessControl") {
  RoutesHarness h;
  http::HttpOptions options;
  options.port = 0;
  options.address = "0.0.0.0";
  auto refused = http::HttpService::start(*h.engine, options);
  REQUIRE(!refused.has_value());
  CHECK(refused.error().code == ErrorCode::kInvalidArgument);
  CHECK(refused.error().message.find("loopback") != std::string::npos);
  options.address = "localhost";
  CHECK(!http::HttpService::start(*h.engine, options).has_value());
  options.address = "::1";
  auto v6 = http::HttpService::start(*h.engine, options);
  if (v6) CHECK((*v6)->port() != 0);  // where the machine has IPv6 loopback
}

TEST_CASE("TheRequestLogIsWrittenUnlessTheOptionsTurnItOff") {
  for (const bool on : {true, false}) {
    Served served({}, nullptr, on);
    Client client(served.port());
    auto answered = client.send(bhttp::verb::get, "/healthz", {}, {{"X-Request-Id", "probe-1"}});
    CHECK(answered.result_int() == 200);
    CHECK(answered["X-Request-Id"] == "probe-1");  // answered with the id either way
    CHECK((served.engine.log_text.str().find("\"request_id\":\"probe-1\"") != std::string::npos) == on);
  }
}

TEST_CASE("ABackupTakenWhileClientsSendCommandsRestoresWholeWithEveryCommandAcknowledgedBeforeIt") {
  TempDir dir;
  const auto backups = dir.path() / "backups";
  std::map<std::string, std::uint64_t> acknowledged;  // case -> version answered
  std::mutex mutex;
  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  std::map<std::string, std::uint64_t> before_backup;
  {
    Served served({}, open_durable_at(dir.path() / "data"), false, backups);
    std::vector<std::thread> clients;
    for (int c = 0; c < 8; ++c) {
      clients.emplace_back([&, c] {
        Client client(served.port());
        for (int i = 0; !done; ++i) {
          auto body = leak_body();
          body["external_id"] = "GD-" + std::to_string(c) + "-" + std::to_string(i);
          auto opened = client.send(bhttp::verb::post, "/v1/cases", body.dump());
          if (opened.result_int() != 201) {
            ++failures;
            return;
          }
          const auto id = nlohmann::json::parse(opened.body())["case_id"].get<std::string>();
          for (const char* step : {"", "dispatch", "accept"}) {
            std::uint64_t version = 1;
            if (*step) {
              auto moved = client.send(bhttp::verb::post, "/v1/cases/" + id + "/" + step);
              if (moved.result_int() != 200) ++failures;
              version = nlohmann::json::parse(moved.body()).value("version", 0u);
            }
            std::lock_guard lock(mutex);
            acknowledged[id] = version;
          }
        }
      });
    }
    const auto acknowledged_count = [&] {
      std::lock_guard lock(mutex);
      return acknowledged.size();
    };
    while (acknowledged_count() < 40) std::this_thread::yield();
    {
      std::lock_guard lock(mutex);
      before_backup = acknowledged;
    }
    Client admin(served.port());
    const auto made = admin.send(bhttp::verb::post, "/v1/admin/backups");
    REQUIRE_MESSAGE(made.result_int() == 201, made.body());
    const auto backup = nlohmann::json::parse(made.body());
    CHECK(backup["id"] == 1);
    CHECK(backup["files"].get<int>() > 0);
    CHECK(backup["directory"] == backups.string());
    // The commands went on meanwhile, and go on after it.
    const auto at_backup = acknowledged_count();
    while (acknowledged_count() < at_backup + 20) std::this_thread::yield();
    done = true;
    for (auto& t : clients) t.join();
    CHECK(failures == 0);
    const auto listed = nlohmann::json::parse(admin.send(bhttp::verb::get, "/v1/admin/backups").body());
    REQUIRE(listed["backups"].size() == 1);
    CHECK(listed["backups"][0]["id"] == 1);
  }
  // Restored, the backup is a whole store: every record reads back, the
  // audit finds no break, and every command answered before the backup was
  // asked for is in it.
  const auto restored = dir.path() / "restored";
  REQUIRE(restore_store(backups, restored).has_value());
  auto audit = audit_store(restored);
  REQUIRE(audit.has_value());
  CHECK(audit->breaks.empty());
  CHECK(audit->cases >= before_backup.size());
  auto store = open_durable_at(restored);
  CHECK(check_store(*store).problems.empty());
  for (const auto& [id, version] : before_backup) {
    auto stored = store->load(id);
    REQUIRE(stored.has_value());
    REQUIRE_MESSAGE(stored->has_value(), id);
    CHECK((*stored)->snapshot.version >= version);
  }
}

TEST_CASE("ABackupOfAStoreInMemoryIsRefusedAndTheListOfNoneIsEmpty") {
  TempDir dir;
  RoutesHarness h({}, nullptr, dir.path() / "backups");
  const auto refused = h.call("POST", "/v1/admin/backups");
  CHECK(problem_of(refused).slug == "unavailable");
  const auto listed = json_of(h.call("GET", "/v1/admin/backups"));
  CHECK(listed["backups"].empty());
  CHECK(problem_of(h.call("POST", "/v1/admin/backups", "{}")).status == 422);
  CHECK(h.call("DELETE", "/v1/admin/backups").status == 405);
}

// `escalator bench --http`: the service on 127.0.0.1 against the engine in
// the same process, in the same runs (docs/performance.md). One client
// thread drives every connection with Beast's asynchronous calls, so the
// client costs the two cores as little as it can.
#include "bench_http.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>

#include <nlohmann/json.hpp>

#include "bench_durable.hpp"
#include "escalator/access/keys.hpp"
#include "escalator/engine/engine.hpp"
#include "escalator/http/service.hpp"

namespace escalator::tools {
namespace {

using namespace bench_parts;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

constexpr int kConnectionCounts[] = {1, 8, 64};
constexpr double kTargetHttpOverInProcess = 0.7;  // durable commands at 64 connections
constexpr double kTargetReadP50Micros = 100;

// Step `step` of lifecycle `i` as the service takes it: the fields of
// lifecycle_step(i, step) (bench_runs.cpp), under the names the routes read.
std::string step_body(int run, int i, int step) {
  const auto payload = lifecycle_step(i, step);
  if (const auto* open = std::get_if<cmd::Open>(&payload)) {
    return nlohmann::json{{"external_id", order_number(run, i)},
                          {"request_type", to_string(open->request_type)},
                          {"category", open->category},
                          {"location", {{"district_code", open->location.district_code},
                                        {"compound", open->location.compound},
                                        {"address", open->location.address}}},
                          {"content", open->content},
                          {"first_contact", {{"unit", open->first_contact.unit}}}}
        .dump();
  }
  if (const auto* reply = std::get_if<cmd::Reply>(&payload))
    return nlohmann::json{{"outcome", to_string(reply->outcome)}, {"answer", reply->answer}}.dump();
  if (const auto* rate = std::get_if<cmd::Rate>(&payload)) return nlohmann::json{{"rating", to_string(rate->rating)}}.dump();
  if (const auto* close = std::get_if<cmd::Close>(&payload)) return nlohmann::json{{"note", close->note}}.dump();
  return "";  // dispatch and accept take nothing
}

// One kept-alive connection: requests one after another, each timed from
// its write to its answer.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // Makes the next request; false when there is none.
  using Next = std::function<bool(Connection&, bhttp::request<bhttp::string_body>&)>;
  // Sees each answer; false stops the connection.
  using Answered = std::function<bool(Connection&, const bhttp::response<bhttp::string_body>&)>;

  Connection(asio::io_context& io, Next next, Answered answered, std::vector<double>& latencies)
      : stream_(io), next_(std::move(next)), answered_(std::move(answered)), latencies_(latencies) {}

  int lifecycle = 0;      // the case it is on, counted across connections
  int end_lifecycle = 0;  // one past its last
  int step = 0;
  std::string case_id;
  int reads = 0;

  void start(const tcp::endpoint& at) {
    stream_.async_connect(at, [self = shared_from_this()](beast::error_code ec) {
      if (!ec) self->send();
    });
  }

 private:
  void send() {
    request_ = {};
    if (!next_(*this, request_)) return;
    request_.version(11);
    request_.set(bhttp::field::host, "127.0.0.1");
    request_.prepare_payload();
    sent_ = BenchClock::now();
    bhttp::async_write(stream_, request_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return;
      self->response_ = {};
      bhttp::async_read(self->stream_, self->buffer_, self->response_,
                        [self](beast::error_code ec, std::size_t) {
                          if (ec) return;
                          self->latencies_.push_back(
                              std::chrono::duration<double, std::micro>(BenchClock::now() - self->sent_).count());
                          if (self->answered_(*self, self->response_)) self->send();
                        });
    });
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  bhttp::request<bhttp::string_body> request_;
  bhttp::response<bhttp::string_body> response_;
  Next next_;
  Answered answered_;
  std::vector<double>& latencies_;
  BenchClock::time_point sent_;
};

Throughput summarised(std::vector<double> latencies, double wall) {
  std::sort(latencies.begin(), latencies.end());
  Throughput t;
  t.per_second = wall > 0 ? static_cast<double>(latencies.size()) / wall : 0;
  t.p50_us = percentile(latencies, 0.50);
  t.p99_us = percentile(latencies, 0.99);
  return t;
}

struct HttpRun {
  Throughput commands;
  Throughput reads;
  // The same reads through a service with keys (docs/access.md): by a
  // supervisor, masked, and by a dispatcher, in clear and so each recorded
  // in the access log before it is answered.
  Throughput masked_reads;
  Throughput clear_reads;
};

// A new durable store served on a free port; `connections` clients each take
// `lifecycles` cases from open to closed, then read `reads` cases each.
HttpRun http_run(const std::filesystem::path& dir, int run, int connections, int lifecycles, int reads,
                 Tally& tally) {
  const auto path = dir / ("http-" + std::to_string(connections));
  std::filesystem::remove_all(path);
  DurableStoreOptions store_options;
  store_options.path = path;
  auto store = open_durable_store(store_options);
  if (!store) {
    tally.refuse(store.error());
    return {};
  }
  EngineOptions options;
  options.clock = std::make_shared<ManualClock>(*parse_time("2025-10-08T09:00:00+08:00"));
  options.store = *store;
  auto engine = std::move(*Engine::open(std::move(options)));
  http::HttpOptions http_options;
  http_options.port = 0;
  auto service = http::HttpService::start(*engine, http_options);
  if (!service) {
    tally.refuse(service.error());
    return {};
  }
  tcp::endpoint at(asio::ip::make_address("127.0.0.1"), (*service)->port());
  std::vector<std::string> opened;
  HttpRun result;

  const auto drive = [&](Connection::Next next, Connection::Answered answered) {
    asio::io_context io;
    std::vector<std::vector<double>> latencies(connections);
    for (int c = 0; c < connections; ++c) {
      auto connection = std::make_shared<Connection>(io, next, answered, latencies[c]);
      connection->lifecycle = c * lifecycles;
      connection->end_lifecycle = (c + 1) * lifecycles;
      connection->start(at);
    }
    const auto t0 = BenchClock::now();
    io.run();
    const double wall = seconds_since(t0);
    std::vector<double> all;
    for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
    return summarised(std::move(all), wall);
  };

  result.commands = drive(
      [&](Connection& c, auto& request) {
        if (c.lifecycle >= c.end_lifecycle) return false;
        request.method(bhttp::verb::post);
        // The steps' idempotency keys are their commands' names, which are their routes.
        request.target(c.step == 0 ? "/v1/cases" : "/v1/cases/" + c.case_id + "/" + step_key(c.step));
        request.set("Idempotency-Key", c.step == 0 ? order_number(run, c.lifecycle) : step_key(c.step));
        request.body() = step_body(run, c.lifecycle, c.step);
        if (!request.body().empty()) request.set(bhttp::field::content_type, "application/json");
        return true;
      },
      [&](Connection& c, const auto& response) {
        if (response.result_int() >= 300) {
          tally.refuse(Error{ErrorCode::kInternal, "HTTP " + std::to_string(response.result_int()) + ": " +
                                                       response.body()});
          return false;
        }
        if (c.step == 0) {
          const auto& body = response.body();
          const auto start = body.find("\"case_id\":\"") + 11;
          c.case_id = body.substr(start, body.find('"', start) - start);
          opened.push_back(c.case_id);  // one client thread: no lock
        }
        if (++c.step == kCommandsPerLifecycle) {
          c.step = 0;
          ++c.lifecycle;
        }
        return true;
      });
  const auto read_all = [&](const std::string& authorization) {
    return drive(
        [&](Connection& c, auto& request) {
          if (c.reads >= reads) return false;
          request.method(bhttp::verb::get);
          request.target("/v1/cases/" + opened[static_cast<std::size_t>(c.lifecycle + c.reads) % opened.size()]);
          if (!authorization.empty()) request.set(bhttp::field::authorization, authorization);
          ++c.reads;
          return true;
        },
        [&](Connection&, const auto& response) {
          if (response.result_int() != 200) {
            tally.refuse(Error{ErrorCode::kInternal, "HTTP " + std::to_string(response.result_int())});
            return false;
          }
          return true;
        });
  };
  if (!opened.empty()) result.reads = read_all("");
  (*service)->stop();
  if (opened.empty()) return result;

  // The same engine served again, now with keys and rates no reader reaches.
  const auto made = [](access::Role role) {
    return *access::make_key("bench", role, {}, std::nullopt, "2025-10-08T09:00:00+08:00");
  };
  const auto supervisor = made(access::Role::kSupervisor), dispatcher = made(access::Role::kDispatcher);
  http_options.keys_file = dir / "bench-keys.json";
  http_options.limits.requests_per_key_per_second = 1e9;
  http_options.limits.requests_per_key_burst = 1e9;
  if (auto written = access::write_keys_file(http_options.keys_file, {supervisor.entry, dispatcher.entry}); !written) {
    tally.refuse(written.error());
    return result;
  }
  auto keyed = http::HttpService::start(*engine, http_options);
  if (!keyed) {
    tally.refuse(keyed.error());
    return result;
  }
  at.port((*keyed)->port());
  result.masked_reads = read_all("Bearer " + supervisor.text);
  result.clear_reads = read_all("Bearer " + dispatcher.text);
  (*keyed)->stop();
  return result;
}

}  // namespace

const char* const kHttpBenchWhat = R"(With --http: the HTTP service (docs/http.md), beside the engine in the same process, in the
same runs. For 1, 8 and 64 connections kept alive: a new durable store under --dir served on
127.0.0.1, each connection taking cases from open to closed (open, dispatch, accept, reply,
rate, close; about --durable-commands commands per connection count), each command
acknowledged on disk before the next is sent; then GET /v1/cases/{id} of the cases opened,
--reads per connection, then the same reads through the service started again with keys, by
a supervisor (masked) and by a dispatcher (in clear, each read recorded in the access log
before it is answered). In the same run, the same lifecycles through Engine::submit from as
many threads on a store of their own (the in-process figure). One client thread drives every
connection. Reports requests/s, p50 and p99 of each, medians of --runs runs. Targets:
durable commands over HTTP >= 0.7x in-process at 64 connections; a read <= 100 us p50 on one
connection (with more, a read waits its turn).)";

int http_bench(const HttpBenchOptions& options, std::ostream& out) {
  const int runs = options.runs, commands = options.durable_commands, reads = options.reads;
  const bool json = options.json;
  const std::filesystem::path& dir = options.dir;
  std::filesystem::create_directories(dir);

  Tally tally;
  struct Side {
    std::vector<Throughput> http, in_process, reads, masked_reads, clear_reads;
  };
  std::map<int, Side> sides;
  for (int run = 0; run < runs; ++run) {
    for (int connections : kConnectionCounts) {
      const int lifecycles = std::max(1, commands / connections / kCommandsPerLifecycle);
      auto over_http = http_run(dir, 100 + run, connections, lifecycles, reads, tally);
      sides[connections].http.push_back(over_http.commands);
      sides[connections].reads.push_back(over_http.reads);
      sides[connections].masked_reads.push_back(over_http.masked_reads);
      sides[connections].clear_reads.push_back(over_http.clear_reads);
      sides[connections].in_process.push_back(durable_engine_run(dir, run, connections, lifecycles, tally));
    }
  }
  const auto of = [](const std::vector<Throughput>& v, double Throughput::*field) {
    std::vector<double> values;
    for (const auto& t : v) values.push_back(t.*field);
    return median(values);
  };
  bool ok = tally.refused == 0;
  nlohmann::json figures = nlohmann::json::array();
  for (int connections : kConnectionCounts) {
    const auto& s = sides[connections];
    const double ratio = of(s.http, &Throughput::per_second) / of(s.in_process, &Throughput::per_second);
    const double read_p50 = of(s.reads, &Throughput::p50_us);
    // Throughput is judged where the most clients share the cores, latency where one has them.
    if (connections == 64) ok = ok && ratio >= kTargetHttpOverInProcess;
    if (connections == 1) ok = ok && read_p50 <= kTargetReadP50Micros;
    const auto side = [&](const std::vector<Throughput>& v) {
      return nlohmann::json{{"per_second_median", of(v, &Throughput::per_second)},
                            {"p50_us_median", of(v, &Throughput::p50_us)},
                            {"p99_us_median", of(v, &Throughput::p99_us)}};
    };
    figures.push_back({{"connections", connections},
                       {"http_commands", side(s.http)},
                       {"in_process_commands", side(s.in_process)},
                       {"http_over_in_process", ratio},
                       {"http_reads", side(s.reads)},
                       {"http_reads_with_keys_masked", side(s.masked_reads)},
                       {"http_reads_with_keys_clear_logged", side(s.clear_reads)}});
  }
  std::error_code ignored;
  for (int connections : kConnectionCounts) {
    std::filesystem::remove_all(dir / ("http-" + std::to_string(connections)), ignored);
    std::filesystem::remove(dir / "bench-keys.json", ignored);
    std::filesystem::remove_all(dir / ("engine-" + std::to_string(connections)), ignored);
  }
  if (json) {
    out << nlohmann::json{{"runs", runs},
                          {"by_connections", figures},
                          {"refused", tally.refused},
                          {"first_refusal", tally.first_refusal},
                          {"targets", {{"http_over_in_process_at_64", kTargetHttpOverInProcess},
                                       {"read_p50_us", kTargetReadP50Micros}}},
                          {"pass", ok}}
                .dump(2)
        << "\n";
  } else {
    out << "escalator bench --http: medians of " << runs << " runs, under " << dir.string()
        << "\n\n  conns   http cmd/s  p50 us  p99 us   in-process cmd/s  p50 us  p99 us   http/in-process"
           "   reads/s  p50 us  p99 us\n";
    for (const auto& f : figures) {
      char text[240];
      const auto& h = f["http_commands"];
      const auto& p = f["in_process_commands"];
      const auto& r = f["http_reads"];
      std::snprintf(text, sizeof text, "  %5d %12.0f %7.0f %7.0f %18.0f %7.0f %7.0f %16.2fx %9.0f %7.0f %7.0f\n",
                    f["connections"].get<int>(), h["per_second_median"].get<double>(), h["p50_us_median"].get<double>(),
                    h["p99_us_median"].get<double>(), p["per_second_median"].get<double>(),
                    p["p50_us_median"].get<double>(), p["p99_us_median"].get<double>(),
                    f["http_over_in_process"].get<double>(), r["per_second_median"].get<double>(),
                    r["p50_us_median"].get<double>(), r["p99_us_median"].get<double>());
      out << text;
    }
    out << "\n  reads with keys (docs/access.md): masked, and in clear, each recorded in the access log first\n"
           "  conns   no key reads/s  p50 us  p99 us   masked reads/s  p50 us  p99 us   clear+logged reads/s  p50 us  p99 us\n";
    for (const auto& f : figures) {
      char text[240];
      const auto& r = f["http_reads"];
      const auto& m = f["http_reads_with_keys_masked"];
      const auto& c = f["http_reads_with_keys_clear_logged"];
      std::snprintf(text, sizeof text, "  %5d %16.0f %7.0f %7.0f %16.0f %7.0f %7.0f %22.0f %7.0f %7.0f\n",
                    f["connections"].get<int>(), r["per_second_median"].get<double>(), r["p50_us_median"].get<double>(),
                    r["p99_us_median"].get<double>(), m["per_second_median"].get<double>(),
                    m["p50_us_median"].get<double>(), m["p99_us_median"].get<double>(),
                    c["per_second_median"].get<double>(), c["p50_us_median"].get<double>(),
                    c["p99_us_median"].get<double>());
      out << text;
    }
    out << "\n  targets: http/in-process >= 0.7x at 64 connections; read p50 <= 100 us on one connection: " << (ok ? "PASS" : "MISS")
        << "\n";
    if (tally.refused > 0) out << "  " << tally.refused << " refused; the first: " << tally.first_refusal << "\n";
  }
  return tally.refused == 0 ? 0 : 1;
}

}  // namespace escalator::tools

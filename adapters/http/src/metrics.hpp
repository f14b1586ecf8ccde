// What the service counts, and its rendering in the Prometheus text format
// (version 0.0.4) for GET /metrics (docs/http.md, "Metrics"). Names follow
// Prometheus's conventions: escalator_ prefix, base units (seconds, bytes),
// _total for counters. Labels take values from small fixed sets (route
// templates, command names, error codes), never ids.
//
// Thread safety: every member may be called from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "escalator/engine/decision.hpp"
#include "escalator/engine/engine.hpp"
#include "escalator/store/event_store.hpp"
#include "escalator/util/result.hpp"

namespace escalator::http {

class Metrics {
 public:
  // One answered request: its route template ("/v1/cases/{id}"), method and status.
  void request(std::string_view route, std::string_view method, int status, double seconds);
  // One command submitted over HTTP: its name ("dispatch") and outcome
  // ("decided", "duplicate", or the engine's error code).
  void command(std::string_view name, std::string_view outcome, double seconds);
  // A round of the timer driver: each timer's command and how it ended.
  void timer_round(const std::vector<Result<Decision>>& decided);
  // Connections refused for being over max_connections, requests timed out.
  void connection_refused();

  // Everything, in the Prometheus text format, with the store's counters
  // and the gauges given.
  // `counts` none when the store could not count them: those gauges are left out.
  std::string text(const StoreCounters& store, const std::optional<Engine::Counts>& counts, int commands_in_flight,
                   int connections_open) const;

 private:
  struct Histogram {
    std::vector<std::uint64_t> counts;  // per bucket of kLatencyBounds, and one beyond
    double sum = 0;
    std::uint64_t count = 0;
  };
  void observe(Histogram& histogram, double seconds);

  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Histogram> request_seconds_;  // by route
  std::map<std::pair<std::string, std::string>, std::uint64_t> commands_;
  std::map<std::string, Histogram> command_seconds_;  // by command
  std::map<std::string, std::uint64_t> timers_fired_;  // by outcome
  std::uint64_t connections_refused_ = 0;
};

}  // namespace escalator::http

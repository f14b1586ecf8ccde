#include "metrics.hpp"

#include <cstdio>
#include <span>

namespace escalator::http {
namespace {

// Seconds: from half a millisecond (a read from the cache) to ten seconds.
constexpr double kLatencyBounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                     0.1,    0.25,  0.5,    1,     2.5,  5,     10};

std::string number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.9g", v);
  return buffer;
}

// A label value with \, " and newline escaped, as the text format asks.
std::string escaped(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

struct Writer {
  std::string out;
  void family(std::string_view name, std::string_view type, std::string_view help) {
    out += "# HELP " + std::string(name) + " " + std::string(help) + "\n";
    out += "# TYPE " + std::string(name) + " " + std::string(type) + "\n";
  }
  void sample(std::string_view name, std::string_view labels, const std::string& value) {
    out += std::string(name);
    if (!labels.empty()) out += "{" + std::string(labels) + "}";
    out += " " + value + "\n";
  }
  // One histogram's samples: `per_bucket` counts the observations of each
  // bound (not yet cumulative) and beyond the last.
  template <class Bound>
  void histogram(std::string_view name, const std::string& labels, std::span<const Bound> bounds,
                 std::span<const std::uint64_t> per_bucket, double sum, std::uint64_t count) {
    const std::string sep = labels.empty() ? "" : ",";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < bounds.size(); ++i) {
      cumulative += per_bucket[i];
      sample(std::string(name) + "_bucket", labels + sep + "le=\"" + number(double(bounds[i])) + "\"",
             std::to_string(cumulative));
    }
    sample(std::string(name) + "_bucket", labels + sep + "le=\"+Inf\"", std::to_string(count));
    sample(std::string(name) + "_sum", labels, number(sum));
    sample(std::string(name) + "_count", labels, std::to_string(count));
  }
};

}  // namespace

void Metrics::observe(Histogram& h, double seconds) {
  if (h.counts.empty()) h.counts.assign(std::size(kLatencyBounds) + 1, 0);
  std::size_t i = 0;
  while (i < std::size(kLatencyBounds) && seconds > kLatencyBounds[i]) ++i;
  ++h.counts[i];
  h.sum += seconds;
  ++h.count;
}

void Metrics::request(std::string_view route, std::string_view method, int status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{std::string(route), std::string(method), status}];
  observe(request_seconds_[std::string(route)], seconds);
}

void Metrics::command(std::string_view name, std::string_view outcome, double seconds) {
  std::lock_guard lock(mutex_);
  ++commands_[{std::string(name), std::string(outcome)}];
  observe(command_seconds_[std::string(name)], seconds);
}

void Metrics::timer_round(const std::vector<Result<Decision>>& decided) {
  std::lock_guard lock(mutex_);
  for (const auto& d : decided) ++timers_fired_[d ? std::string("decided") : std::string(to_string(d.error().code))];
}

void Metrics::connection_refused() {
  std::lock_guard lock(mutex_);
  ++connections_refused_;
}

std::string Metrics::text(const StoreCounters& store, const std::optional<Engine::Counts>& counts,
                          int commands_in_flight, int connections_open) const {
  std::lock_guard lock(mutex_);
  Writer w;
  const auto histogram = [&](std::string_view name, std::string_view label, const std::map<std::string, Histogram>& by) {
    for (const auto& [key, h] : by) {
      w.histogram(name, std::string(label) + "=\"" + escaped(key) + "\"", std::span<const double>(kLatencyBounds),
                  std::span<const std::uint64_t>(h.counts), h.sum, h.count);
    }
  };

  w.family("escalator_http_requests_total", "counter", "HTTP requests answered, by route, method and status.");
  for (const auto& [key, n] : requests_) {
    const auto& [route, method, status] = key;
    w.sample("escalator_http_requests_total",
             "route=\"" + escaped(route) + "\",method=\"" + escaped(method) + "\",status=\"" + std::to_string(status) + "\"",
             std::to_string(n));
  }
  w.family("escalator_http_request_duration_seconds", "histogram",
           "Time from a request read to its answer handed to the connection, by route.");
  histogram("escalator_http_request_duration_seconds", "route", request_seconds_);
  w.family("escalator_http_connections_refused_total", "counter", "Connections answered 503 for being over http.limits.max_connections.");
  w.sample("escalator_http_connections_refused_total", "", std::to_string(connections_refused_));
  w.family("escalator_http_connections_open", "gauge", "Connections open now.");
  w.sample("escalator_http_connections_open", "", std::to_string(connections_open));

  w.family("escalator_commands_total", "counter",
           "Commands submitted over HTTP, by command and outcome (decided, duplicate, or the engine's error code).");
  for (const auto& [key, n] : commands_)
    w.sample("escalator_commands_total", "command=\"" + escaped(key.first) + "\",outcome=\"" + escaped(key.second) + "\"",
             std::to_string(n));
  w.family("escalator_command_duration_seconds", "histogram",
           "Time from a command submitted to its answer (decided and on disk), by command.");
  histogram("escalator_command_duration_seconds", "command", command_seconds_);
  w.family("escalator_commands_in_flight", "gauge", "Commands submitted over HTTP and not yet answered.");
  w.sample("escalator_commands_in_flight", "", std::to_string(commands_in_flight));

  if (counts) {
    w.family("escalator_cases_open", "gauge", "Open cases by lifecycle state, from the store's case lists.");
    for (int i = 0; i < kLifecycleStateCount; ++i) {
      const auto state = static_cast<LifecycleState>(i);
      if (!is_over(state))
        w.sample("escalator_cases_open", "state=\"" + std::string(to_string(state)) + "\"", std::to_string(counts->cases_by_state[i]));
    }
    w.family("escalator_timers_pending", "gauge", "Deadline and warning timers waiting to fire.");
    w.sample("escalator_timers_pending", "", std::to_string(counts->timers_pending));
  }
  w.family("escalator_timers_fired_total", "counter",
           "Timer commands (timeouts and warnings) the timer driver submitted, by outcome.");
  for (const auto& [outcome, n] : timers_fired_)
    w.sample("escalator_timers_fired_total", "outcome=\"" + escaped(outcome) + "\"", std::to_string(n));

  w.family("escalator_store_writes_total", "counter", "Case writes the store made durable.");
  w.sample("escalator_store_writes_total", "", std::to_string(store.writes));
  w.family("escalator_store_written_bytes_total", "counter", "Bytes of keys and values the store wrote for them.");
  w.sample("escalator_store_written_bytes_total", "", std::to_string(store.bytes));
  w.family("escalator_store_commit_group_size", "histogram", "Case writes carried by each group commit.");
  w.histogram("escalator_store_commit_group_size", "", std::span<const std::uint64_t>(StoreCounters::kGroupSizeBounds),
              std::span<const std::uint64_t>(store.groups_by_size), static_cast<double>(store.writes), store.groups);
  w.family("escalator_store_wal_sync_duration_seconds", "summary",
           "Syncs of the store's write-ahead log (fsync), as RocksDB times them.");
  w.sample("escalator_store_wal_sync_duration_seconds", "quantile=\"0.5\"", number(store.wal_sync_p50_seconds));
  w.sample("escalator_store_wal_sync_duration_seconds", "quantile=\"0.99\"", number(store.wal_sync_p99_seconds));
  w.sample("escalator_store_wal_sync_duration_seconds_sum", "", number(store.wal_sync_seconds_sum));
  w.sample("escalator_store_wal_sync_duration_seconds_count", "", std::to_string(store.wal_syncs));
  return w.out;
}

}  // namespace escalator::http

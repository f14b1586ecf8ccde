// The HTTP service (docs/http.md): a city platform drives an Engine over
// HTTP/1.1 with JSON. It owns its own I/O threads and borrows the engine.
//
// Ownership: the engine must outlive the service. Destroying the service
// stops it as stop() does.
// Thread safety: every member may be called from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "escalator/engine/engine.hpp"
#include "escalator/util/logger.hpp"
#include "escalator/util/result.hpp"

namespace escalator::http {

// Every limit has a default that docs/http.md and docs/configuration.md give.
struct HttpLimits {
  // A request body longer than this is refused (413) before it is read.
  std::size_t max_body_bytes = 1024 * 1024;
  // The request line and headers together; longer is refused (431).
  std::size_t max_header_bytes = 16 * 1024;
  // Connections open at once; one more is answered 503 and closed.
  int max_connections = 1024;
  // The time a client has to send a whole request once it begins one, and
  // the longest a kept-alive connection may sit idle: a client that sends a
  // byte a second holds only its own connection, and only this long.
  std::chrono::milliseconds request_timeout{30000};
  // Commands submitted and not yet answered; more are refused with 503 and
  // Retry-After, so a burst waits at the client rather than in memory.
  int max_commands_in_flight = 4096;
  // With keys: each key's requests, a token bucket of this many a second and
  // this burst; more are refused with 429 and Retry-After.
  double requests_per_key_per_second = 50;
  double requests_per_key_burst = 100;
  // Bad keys from one client address: this many a minute (and at once);
  // past that, every request of the address that needs a key is refused
  // with 429 until the minute allows another, its key not even read.
  double bad_keys_per_address_per_minute = 10;

  friend bool operator==(const HttpLimits&, const HttpLimits&) = default;
};

struct HttpOptions {
  // Where to listen: a loopback address, or any with both a keys file and
  // TLS (docs/access.md, "Beyond loopback").
  std::string address = "127.0.0.1";
  std::uint16_t port = 8345;  // 0: any free port (port() tells which)
  int io_threads = 2;         // threads reading, deciding and answering requests
  HttpLimits limits;
  // One JSON line per request on the log the service is started with
  // (docs/http.md, "The request log"), whatever the engine's log level.
  bool request_log = true;
  // Where POST /v1/admin/backups adds the store's backups (docs/operations.md).
  std::filesystem::path backup_dir = "./data-backups";
  // The API keys callers must present (docs/access.md); empty: no key is
  // checked, and the service listens on loopback only.
  std::filesystem::path keys_file;
  // Proxies whose X-Forwarded-For names the client (addresses or networks:
  // "127.0.0.1", "10.0.0.0/8"); from any other peer the header is ignored.
  std::vector<std::string> trusted_proxies;
  // The service ends TLS itself (1.2 and 1.3) with this certificate chain and
  // private key, both PEM; empty: plain HTTP, TLS ending at a proxy in front.
  std::filesystem::path tls_certificate;
  std::filesystem::path tls_private_key;

  friend bool operator==(const HttpOptions&, const HttpOptions&) = default;
};

// The "http" object of the configuration file (docs/configuration.md); the
// defaults above where the file has no "http" object. kInvalidArgument naming
// the key by its JSON pointer when a value is out of its range.
[[nodiscard]] Result<HttpOptions> http_options_from_config(const std::filesystem::path& config_file);

// Whether the service could start with these options, before anything is
// opened: kInvalidArgument naming the option (an address that is not an IP
// address or not loopback, no I/O thread).
[[nodiscard]] Result<void> check_http_options(const HttpOptions& options);

class HttpService {
 public:
  // Binds and starts listening. Request lines go to `log` when
  // options.request_log (null: nowhere). check_http_options' errors;
  // kUnavailable when the port cannot be bound.
  [[nodiscard]] static Result<std::unique_ptr<HttpService>> start(Engine& engine, HttpOptions options,
                                                                  std::shared_ptr<Logger> log = nullptr);
  ~HttpService();
  HttpService(const HttpService&) = delete;
  HttpService& operator=(const HttpService&) = delete;

  // The port listened on (the one chosen when options.port was 0).
  std::uint16_t port() const;
  // Reads the keys file again and checks callers against what it holds from
  // now on (SIGHUP in `escalator serve`): the number of keys that work. On an
  // error, naming the key and member at fault, the keys checked before stay.
  // kFailedPrecondition when the service was started without a keys file.
  [[nodiscard]] Result<std::size_t> reload_keys();
  // Counts a round of the timer driver's commands in /metrics
  // (TimerDriverOptions::after_round).
  void timer_round(const std::vector<Result<Decision>>& decided);
  // Stops taking connections and requests, lets the requests in flight be
  // answered (their commands decided and stored), closes every connection
  // and returns once the I/O threads have ended. Safe to call twice.
  void stop();

 private:
  struct Impl;
  explicit HttpService(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace escalator::http

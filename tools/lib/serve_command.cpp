#include "serve_command.hpp"

#include <pthread.h>
#include <signal.h>

#include <iostream>

#include "command_line.hpp"
#include "escalator/engine/engine.hpp"
#include "escalator/engine/timer_driver.hpp"
#include "escalator/http/service.hpp"
#include "new_store.hpp"
#include "escalator/store/store.hpp"
#include "escalator/org/org_directory.hpp"
#include "escalator/workflow/workflow_registry.hpp"

namespace escalator::tools {
namespace {

// The system clock moved to start at a chosen instant, then running as it does.
class ShiftedClock final : public Clock {
 public:
  explicit ShiftedClock(Timestamp from) : shift_(from - SystemClock().now()) {}
  Timestamp now() const override { return SystemClock().now() + shift_; }

 private:
  Timestamp::duration shift_;
};

constexpr const char* kServeWhat = R"(Serves the engine over HTTP/1.1 with JSON (docs/http.md): cases opened, read and moved
through their lifecycle, each command acknowledged once it is on disk. Deadlines fire on
the system clock without anyone calling. The store is RocksDB under DIR, created when
missing; the shipped workflows, the store's org directory (the sample one for a new store)
and the official calendar. The configuration's "http" object sets the address, port,
threads and limits.

With a keys file (--keys, or http.keys_file) every caller presents an API key and sees
what its role and jurisdiction allow (docs/access.md); SIGHUP reads the file again.

Prints the URL it listens on and a curl command that opens a case. SIGINT (Ctrl-C) or
SIGTERM stops it: no new requests are taken, those in flight are answered, and the store
is closed cleanly.)";

// The case the printed curl command opens: a leak reported by phone in a
// compound of the sample directory.
constexpr const char* kTryBody =
    R"({"request_type":"complaint","channel":"hotline","category":"物业/漏水",)"
    R"("location":{"district_code":"370811","compound":"yangguang-garden","building":"3号楼"},)"
    R"("reporter":{"name":"张三","phone":"13800000000"},"content":"楼上卫生间漏水",)"
    R"("first_contact":{"unit":"hotline.12345","person":"operator-07"}})";

// Beside the store: "./data" keeps its backups in "./data-backups".
std::filesystem::path default_backup_dir(const std::filesystem::path& data) {
  auto store = data.lexically_normal();
  if (!store.has_filename()) store = store.parent_path();  // "data/" names "data"
  store += "-backups";
  return store;
}

}  // namespace

int serve_command(const std::vector<std::string>& args, const Config& config,
                  const std::optional<std::filesystem::path>& config_file, std::ostream& out) {
  auto app = command_app("escalator serve", kServeWhat,
                         "Exits 1 when the store, the configuration or the port cannot be had.");
  std::filesystem::path data;
  std::optional<std::string> address;
  std::optional<std::uint16_t> port;
  std::optional<Timestamp> clock_from;
  std::optional<std::filesystem::path> keys_file;
  add_data_option(*app, data, config);
  app->add_option("--address", address, "where to listen, in place of http.address (beyond loopback only with keys and TLS)")
      ->option_text("IP");
  app->add_option("--keys", keys_file, "the API keys callers must present, in place of http.keys_file (docs/access.md)")
      ->option_text("FILE");
  std::optional<std::filesystem::path> tls_certificate, tls_private_key;
  auto* certificate_option =
      app->add_option("--tls-cert", tls_certificate, "end TLS with this PEM certificate chain, in place of http.tls")
          ->option_text("FILE");
  auto* key_option = app->add_option("--tls-key", tls_private_key, "the certificate's PEM private key")->option_text("FILE");
  certificate_option->needs(key_option);
  key_option->needs(certificate_option);
  app->add_option("--port", port, "the port, in place of http.port; 0 takes a free one")
      ->option_text("N")
      ->check(whole_number(0, 65535));
  add_time_option(*app, "--clock-from", clock_from,
                  "the service's clock starts at TIME and runs on in real time: for training and for trying the "
                  "docs' examples, never for a city's store (its events would carry invented times)");
  if (auto done = parse_command_line(*app, args, out)) return *done;
  std::shared_ptr<const Clock> clock = std::make_shared<SystemClock>();
  if (clock_from) clock = std::make_shared<ShiftedClock>(*clock_from);
  http::HttpOptions http_options;
  if (config_file) {
    auto read = http::http_options_from_config(*config_file);
    if (!read) {
      std::cerr << "serve: " << read.error().message << "\n";
      return 1;
    }
    http_options = *read;
  }
  http_options.backup_dir = config.backup_dir.empty() ? default_backup_dir(data) : config.backup_dir;
  if (address) http_options.address = *address;
  if (keys_file) http_options.keys_file = *keys_file;
  if (tls_certificate) {
    http_options.tls_certificate = *tls_certificate;
    http_options.tls_private_key = *tls_private_key;
  }
  if (port) http_options.port = *port;
  if (auto checked = http::check_http_options(http_options); !checked) {
    std::cerr << "serve: " << checked.error().message << "\n";
    return 1;
  }

  // Every thread started from here on inherits the mask, so the signals wait
  // for sigwait below instead of killing the process mid-write.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  DurableStoreOptions store_options;
  store_options.path = data;
  auto store = open_durable_store(store_options);
  if (!store) {
    std::cerr << "serve: " << store.error().message << "\n";
    return 1;
  }
  // The shipped workflows, checked against the directory the store routes by
  // (the sample, for a store that holds none yet).
  auto directory = directory_of_store(**store);
  if (!directory) {
    std::cerr << "serve: " << directory.error().message << "\n";
    return 1;
  }
  auto workflows = std::make_shared<WorkflowRegistry>();
  if (const auto problems = workflows->load_shipped(**directory);
      !problems.empty()) {
    for (const auto& p : problems) std::cerr << "serve: " << p.text() << "\n";
    return 1;
  }
  // One writer for the engine's lines and the request log, so that no two
  // lines interleave; the engine's are filtered by the configured level.
  auto log_lines = std::make_shared<JsonLinesLogger>(std::cerr, LogLevel::kDebug);
  auto logger = std::make_shared<LevelFilter>(log_lines, config.log_level);
  EngineOptions engine_options;
  engine_options.workflows = workflows;
  engine_options.config = config;
  engine_options.clock = clock;
  engine_options.logger = logger;
  engine_options.store = *store;
  auto engine = Engine::open(std::move(engine_options));
  if (!engine) {
    std::cerr << "serve: " << engine.error().message << "\n";
    return 1;
  }
  auto service = http::HttpService::start(**engine, http_options, log_lines);
  if (!service) {
    std::cerr << "serve: " << service.error().message << "\n";
    return 1;
  }
  TimerDriverOptions timer_options;
  timer_options.clock = clock;
  timer_options.logger = logger;
  timer_options.after_round = [service = service->get()](const std::vector<Result<Decision>>& decided) {
    service->timer_round(decided);
  };
  auto driver = TimerDriver::start(**engine, timer_options);
  if (!driver) {
    std::cerr << "serve: " << driver.error().message << "\n";
    return 1;
  }
  const std::string host = http_options.address.find(':') == std::string::npos ? http_options.address
                                                                                : "[" + http_options.address + "]";
  const std::string url = std::string(http_options.tls_certificate.empty() ? "http" : "https") + "://" + host + ":" + std::to_string((*service)->port());
  out << "escalator serve: listening on " << url << " (store " << store_options.path.string() << ")\n"
      << "Open a case:\n"
      << "  curl -s " << url << "/v1/cases -H 'Content-Type: application/json' -d '" << kTryBody << "'\n"
      << "Read it back: curl -s " << url << "/v1/cases/CASE_ID\n";
  if (!http_options.keys_file.empty()) {
    out << "Every request but /healthz, /readyz and /v1/openapi.json needs -H 'Authorization: Bearer KEY', a key of "
        << http_options.keys_file.string() << " (escalator keys add); SIGHUP reads the file again.\n";
  }
  out << "Ctrl-C stops the service.\n";
  out.flush();

  int received = 0;
  for (;;) {
    sigwait(&stop_signals, &received);
    if (received != SIGHUP) break;
    // A revoked key stops working once the file is read again; a file that
    // fails leaves the keys in force as they were.
    if (auto reloaded = (*service)->reload_keys()) {
      out << "escalator serve: SIGHUP: " << *reloaded << " keys in force from " << http_options.keys_file.string() << "\n";
    } else {
      out << "escalator serve: SIGHUP: keys unchanged: " << reloaded.error().message << "\n";
    }
    out.flush();
  }
  out << "escalator serve: " << (received == SIGINT ? "SIGINT" : "SIGTERM")
      << ": answering the requests in flight, then closing the store\n";
  out.flush();
  (*service)->stop();
  driver->reset();  // before the engine closes; its rounds are counted by the service
  service->reset();
  engine->reset();  // waits for every command handed to the store
  store->reset();
  out << "escalator serve: stopped\n";
  return 0;
}

}  // namespace escalator::tools

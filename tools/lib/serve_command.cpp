#include "serve_command.hpp"

#include <pthread.h>
#include <signal.h>

#include <iostream>

#include "cli_options.hpp"
#include "escalator/engine/engine.hpp"
#include "escalator/engine/timer_driver.hpp"
#include "escalator/http/service.hpp"
#include "escalator/store/store.hpp"

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

constexpr const char* kHelp =
    "Usage: escalator serve [--config FILE] [--data DIR] [--address IP] [--port N] [--clock-from TIME]\n\n"
    "Serves the engine over HTTP/1.1 with JSON (docs/http.md): cases opened, read and moved\n"
    "through their lifecycle, each command acknowledged once it is on disk. Deadlines fire on\n"
    "the system clock without anyone calling. The store is RocksDB under DIR (default: the\n"
    "configuration's data_dir, ./data), created when missing; the shipped workflows, the\n"
    "store's org directory (the sample one for a new store) and the official calendar.\n\n"
    "  --config FILE  the configuration (docs/configuration.md); its \"http\" object sets the\n"
    "                 address, port, threads and limits\n"
    "  --data DIR     where the store is, in place of data_dir\n"
    "  --address IP   where to listen, in place of http.address (loopback only)\n"
    "  --port N       the port, in place of http.port; 0 takes a free one\n"
    "  --clock-from TIME  the service's clock starts at TIME (RFC 3339) and runs on in real\n"
    "                 time: for training and for trying the docs' examples, never for a city's\n"
    "                 store (its events would carry invented times)\n\n"
    "Prints the URL it listens on and a curl command that opens a case. SIGINT (Ctrl-C) or\n"
    "SIGTERM stops it: no new requests are taken, those in flight are answered, and the store\n"
    "is closed cleanly. Exits 1 when the store, the configuration or the port cannot be had.\n";

// The case the printed curl command opens: a leak reported by phone in a
// compound of the sample directory.
constexpr const char* kTryBody =
    R"({"request_type":"complaint","channel":"hotline","category":"物业/漏水",)"
    R"("location":{"district_code":"370811","compound":"yangguang-garden","building":"3号楼"},)"
    R"("reporter":{"name":"张三","phone":"13800000000"},"content":"楼上卫生间漏水",)"
    R"("first_contact":{"unit":"hotline.12345","person":"operator-07"}})";

}  // namespace

int serve_command(const std::vector<std::string>& args, const Config& config,
                  const std::optional<std::filesystem::path>& config_file, std::ostream& out) {
  if (wants_help(args)) {
    out << kHelp;
    return 0;
  }
  const auto flags = options_of(args, {"--data", "--address", "--port", "--clock-from"}, kHelp);
  if (!flags) return 2;
  std::shared_ptr<const Clock> clock = std::make_shared<SystemClock>();
  if (auto from = flags->find("--clock-from"); from != flags->end()) {
    auto start = parse_time(from->second);
    if (!start) {
      std::cerr << "serve: --clock-from: " << start.error().message << "\n";
      return 2;
    }
    clock = std::make_shared<ShiftedClock>(*start);
  }
  http::HttpOptions http_options;
  if (config_file) {
    auto read = http::http_options_from_config(*config_file);
    if (!read) {
      std::cerr << "serve: " << read.error().message << "\n";
      return 1;
    }
    http_options = *read;
  }
  if (auto a = flags->find("--address"); a != flags->end()) http_options.address = a->second;
  if (auto p = flags->find("--port"); p != flags->end()) {
    const auto& text = p->second;
    char* end = nullptr;
    const long port = std::strtol(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || port < 0 || port > 65535) {
      std::cerr << "serve: --port: expected a number from 0 to 65535, but got '" << text << "'\n";
      return 2;
    }
    http_options.port = static_cast<std::uint16_t>(port);
  }
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
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  DurableStoreOptions store_options;
  store_options.path = flags->contains("--data") ? std::filesystem::path(flags->at("--data")) : config.data_dir;
  auto store = open_durable_store(store_options);
  if (!store) {
    std::cerr << "serve: " << store.error().message << "\n";
    return 1;
  }
  auto logger = std::make_shared<JsonLinesLogger>(std::cerr, config.log_level);
  EngineOptions engine_options;
  engine_options.config = config;
  engine_options.clock = clock;
  engine_options.logger = logger;
  engine_options.store = *store;
  auto engine = Engine::open(std::move(engine_options));
  if (!engine) {
    std::cerr << "serve: " << engine.error().message << "\n";
    return 1;
  }
  auto service = http::HttpService::start(**engine, http_options);
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
  const std::string url = "http://" + host + ":" + std::to_string((*service)->port());
  out << "escalator serve: listening on " << url << " (store " << store_options.path.string() << ")\n"
      << "Open a case:\n"
      << "  curl -s " << url << "/v1/cases -H 'Content-Type: application/json' -d '" << kTryBody << "'\n"
      << "Read it back: curl -s " << url << "/v1/cases/CASE_ID\n"
      << "Ctrl-C stops the service.\n";
  out.flush();

  int received = 0;
  sigwait(&stop_signals, &received);
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

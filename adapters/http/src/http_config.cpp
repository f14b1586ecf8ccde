// The "http" object of the configuration file. load_config checks the whole
// file against schemas/config.schema.json, the http keys and their ranges
// included, so what is read here is known to be well formed.
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "escalator/engine/config.hpp"
#include "escalator/http/service.hpp"

namespace escalator::http {

Result<HttpOptions> http_options_from_config(const std::filesystem::path& config_file) {
  if (auto checked = load_config(config_file); !checked) return tl::unexpected(checked.error());
  std::ifstream in(config_file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  const auto doc = nlohmann::json::parse(text.str(), nullptr, false);
  HttpOptions options;
  if (doc.is_discarded() || !doc.contains("http")) return options;
  const auto& http = doc["http"];
  options.address = http.value("address", options.address);
  options.port = http.value("port", options.port);
  options.io_threads = http.value("io_threads", options.io_threads);
  options.request_log = http.value("request_log", options.request_log);
  // A relative path is the configuration file's neighbour, as data_dir is.
  const auto beside_config = [&](const std::string& path) {
    const std::filesystem::path file = path;
    return file.is_absolute() ? file : config_file.parent_path() / file;
  };
  if (http.contains("tls")) {
    options.tls_certificate = beside_config(http["tls"].value("certificate", std::string()));
    options.tls_private_key = beside_config(http["tls"].value("private_key", std::string()));
  }
  if (http.contains("trusted_proxies")) options.trusted_proxies = http["trusted_proxies"].get<std::vector<std::string>>();
  if (http.contains("keys_file")) {
    const std::filesystem::path keys = http["keys_file"].get<std::string>();
    options.keys_file = keys.is_absolute() ? keys : config_file.parent_path() / keys;
  }
  if (http.contains("limits")) {
    const auto& limits = http["limits"];
    auto& l = options.limits;
    l.max_body_bytes = limits.value("max_body_bytes", l.max_body_bytes);
    l.max_header_bytes = limits.value("max_header_bytes", l.max_header_bytes);
    l.max_connections = limits.value("max_connections", l.max_connections);
    l.request_timeout = std::chrono::milliseconds(limits.value("request_timeout_ms", l.request_timeout.count()));
    l.max_commands_in_flight = limits.value("max_commands_in_flight", l.max_commands_in_flight);
    l.requests_per_key_per_second = limits.value("requests_per_key_per_second", l.requests_per_key_per_second);
    l.requests_per_key_burst = limits.value("requests_per_key_burst", l.requests_per_key_burst);
    l.bad_keys_per_address_per_minute = limits.value("bad_keys_per_address_per_minute", l.bad_keys_per_address_per_minute);
  }
  return options;
}

}  // namespace escalator::http

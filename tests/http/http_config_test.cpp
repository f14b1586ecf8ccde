#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "escalator/http/service.hpp"
#include "store_support.hpp"

using namespace escalator;

namespace {

std::filesystem::path written(const testing::TempDir& dir, const std::string& text) {
  const auto file = dir.path() / "escalator.json";
  std::ofstream(file) << text;
  return file;
}

}  // namespace

TEST_CASE("TheHttpObjectOfTheConfigurationSetsTheServiceAndItsLimits") {
  testing::TempDir dir;
  auto none = http::http_options_from_config(written(dir, "{}"));
  REQUIRE(none.has_value());
  CHECK(*none == http::HttpOptions{});

  // The page's example with every key set.
  std::ifstream in(ESCALATOR_SOURCE_DIR "/docs/configuration.md");
  std::stringstream page;
  page << in.rdbuf();
  const auto text = page.str();
  const auto begin = text.find("```json\n", text.find("Every key set:")) + 8;
  auto every = http::http_options_from_config(written(dir, text.substr(begin, text.find("```", begin) - begin)));
  REQUIRE_MESSAGE(every.has_value(), every.error().message);
  CHECK(every->port == 8345);
  CHECK(every->limits.request_timeout == std::chrono::milliseconds(30000));
  CHECK(every->limits.max_commands_in_flight == 4096);
  CHECK(every->request_log);
  CHECK(every->keys_file == dir.path() / "keys.json");
  CHECK(every->trusted_proxies == std::vector<std::string>{"127.0.0.1"});
  CHECK(every->limits.requests_per_key_burst == 100);
  CHECK(every->limits.bad_keys_per_address_per_minute == 10);

  auto set = http::http_options_from_config(
      written(dir, R"({"http": {"port": 9000, "limits": {"max_body_bytes": 4096, "request_timeout_ms": 500}}})"));
  REQUIRE(set.has_value());
  CHECK(set->port == 9000);
  CHECK(set->limits.max_body_bytes == 4096);
  CHECK(set->limits.request_timeout == std::chrono::milliseconds(500));
  CHECK(set->limits.max_connections == http::HttpLimits{}.max_connections);
  CHECK(set->request_log);
  auto quiet = http::http_options_from_config(written(dir, R"({"http": {"request_log": false}})"));
  REQUIRE(quiet.has_value());
  CHECK(!quiet->request_log);

  auto refused = http::http_options_from_config(written(dir, R"({"http": {"port": 70000}})"));
  REQUIRE(!refused.has_value());
  CHECK(refused.error().message.find("/http/port") != std::string::npos);
  refused = http::http_options_from_config(written(dir, R"({"http": {"limits": {"max_body": 1}}})"));
  REQUIRE(!refused.has_value());
  CHECK(refused.error().message.find("/http/limits/max_body") != std::string::npos);
}

TEST_CASE("TheKeysFileIsTheConfigurationFilesNeighbourUnlessItIsAbsolute") {
  testing::TempDir dir;
  auto relative = http::http_options_from_config(written(dir, R"({"http": {"keys_file": "keys.json"}})"));
  REQUIRE(relative.has_value());
  CHECK(relative->keys_file == dir.path() / "keys.json");
  auto absolute = http::http_options_from_config(written(dir, R"({"http": {"keys_file": "/etc/escalator/keys.json"}})"));
  REQUIRE(absolute.has_value());
  CHECK(absolute->keys_file == "/etc/escalator/keys.json");
  auto empty = http::http_options_from_config(written(dir, R"({"http": {"keys_file": ""}})"));
  REQUIRE(!empty.has_value());
  CHECK(empty.error().message.find("/http/keys_file") != std::string::npos);
}

TEST_CASE("ATrustedProxyThatIsNoAddressIsRefusedAtStart") {
  http::HttpOptions options;
  options.trusted_proxies = {"127.0.0.1", "proxy.internal"};
  auto refused = http::check_http_options(options);
  REQUIRE(!refused);
  CHECK(refused.error().message ==
        "http.trusted_proxies: expected an IP address or a network such as 10.0.0.0/8, but got 'proxy.internal'");
  options.trusted_proxies = {"10.0.0.0/8", "::1"};
  CHECK(http::check_http_options(options));
}

TEST_CASE("BeyondLoopbackTheServiceNeedsBothKeysAndTls") {
  http::HttpOptions options;
  options.address = "0.0.0.0";
  auto refused = http::check_http_options(options);
  REQUIRE(!refused);
  CHECK(refused.error().message.find("only with a keys file (http.keys_file) and TLS (http.tls)") != std::string::npos);
  options.keys_file = "keys.json";
  CHECK(!http::check_http_options(options));
  options.tls_certificate = "cert.pem";
  auto half = http::check_http_options(options);
  REQUIRE(!half);
  CHECK(half.error().message == "http.tls: give both the certificate and the private key, or neither");
  options.tls_private_key = "key.pem";
  CHECK(http::check_http_options(options));
  options.keys_file.clear();
  CHECK(!http::check_http_options(options));
  options.address = "127.0.0.1";
  CHECK(http::check_http_options(options));  // TLS on loopback, without keys, is the operator's choice
}

TEST_CASE("TheTlsPairIsTheConfigurationFilesNeighbour") {
  testing::TempDir dir;
  auto set = http::http_options_from_config(
      written(dir, R"({"http": {"tls": {"certificate": "tls/cert.pem", "private_key": "/etc/escalator/key.pem"}}})"));
  REQUIRE(set.has_value());
  CHECK(set->tls_certificate == dir.path() / "tls/cert.pem");
  CHECK(set->tls_private_key == "/etc/escalator/key.pem");
  auto half = http::http_options_from_config(written(dir, R"({"http": {"tls": {"certificate": "cert.pem"}}})"));
  REQUIRE(!half.has_value());
  CHECK(half.error().message.find("/http/tls") != std::string::npos);
}

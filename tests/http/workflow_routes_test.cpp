// GET /v1/workflows and /v1/workflows/{id}: what the service runs.
#include <doctest/doctest.h>

#include <openssl/sha.h>

#include <cstdio>

#include "http_support.hpp"

using namespace escalator;
using namespace escalator::testing;
using nlohmann::json;

namespace {

// SHA-256 in hexadecimal, by OpenSSL: an oracle apart from the engine's own.
std::string sha256_hex(const std::string& text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  std::string hex;
  char two[3];
  for (unsigned char byte : digest) {
    std::snprintf(two, sizeof two, "%02x", byte);
    hex += two;
  }
  return hex;
}

}  // namespace

TEST_CASE("TheWorkflowsAreListedWithEveryVersionACaseMayName") {
  RoutesHarness h;  // the built-in catalog: property-first v1
  const auto listed = h.call("GET", "/v1/workflows");
  REQUIRE(listed.status == 200);
  const auto body = json_of(listed);
  REQUIRE(body["workflows"].size() == 1);
  const auto& w = body["workflows"][0];
  CHECK(w["id"] == "property-first");
  CHECK(w["latest_version"] == 1);
  CHECK(!w["name"].get<std::string>().empty());
  REQUIRE(w["versions"].size() == 1);
  CHECK(w["versions"][0]["source"] == "workflows/property-first.json");
  CHECK(w["versions"][0]["content_hash"].get<std::string>().size() == 64);
}

TEST_CASE("AWorkflowIsReadAsItsFileWithItsVersionAndHash") {
  RoutesHarness h;
  const auto read = h.call("GET", "/v1/workflows/property-first");
  REQUIRE(read.status == 200);
  const auto body = json_of(read);
  CHECK(body["id"] == "property-first");
  CHECK(body["version"] == 1);
  CHECK(body["workflow"]["id"] == "property-first");
  CHECK(body["workflow"]["steps"].size() >= 3);
  // The hash is of the document as answered: anyone can check it.
  CHECK(body["content_hash"] == sha256_hex(body["workflow"].dump()));
  CHECK(header_of(read, "ETag") == "\"" + body["content_hash"].get<std::string>() + "\"");
  CHECK(h.call("GET", "/v1/workflows/property-first?version=1").body == read.body);

  CHECK(problem_of(h.call("GET", "/v1/workflows/property-first?version=2")).slug == "workflow-not-found");
  CHECK(problem_of(h.call("GET", "/v1/workflows/nowhere")).slug == "workflow-not-found");
  CHECK(problem_of(h.call("GET", "/v1/workflows/property-first?version=0")).slug == "bad-query");
  CHECK(problem_of(h.call("GET", "/v1/workflows/property-first?version=x")).slug == "bad-query");
  CHECK(h.call("POST", "/v1/workflows/property-first", "{}").status == 405);
}

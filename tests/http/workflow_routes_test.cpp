// GET /v1/workflows and /v1/workflows/{id}: what the service runs.
#include <doctest/doctest.h>

#include <openssl/sha.h>

#include <algorithm>
#include <cstdio>
#include <map>

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

namespace {

// property-first as GET /v1/workflows/property-first answers it, with the
// property company's accept_within changed to `accept_within`.
std::string property_first_accepting_within(RoutesHarness& h, const std::string& accept_within) {
  auto workflow = json_of(h.call("GET", "/v1/workflows/property-first"))["workflow"];
  workflow["steps"][0]["accept_within"] = accept_within;
  return workflow.dump(2);
}

}  // namespace

TEST_CASE("AnUploadedVersionTakesTheCasesOpenedAfterItAndOpenCasesKeepTheirs") {
  RoutesHarness h;
  const auto before = h.open();
  REQUIRE(h.call("POST", "/v1/cases/" + before + "/dispatch", "{}").status == 200);

  const auto uploaded = h.call("POST", "/v1/workflows", property_first_accepting_within(h, "2h"));
  REQUIRE(uploaded.status == 201);
  CHECK(header_of(uploaded, "Location") == "/v1/workflows/property-first?version=2");
  const auto body = json_of(uploaded);
  CHECK(body["published_version"] == 2);
  CHECK(body["changed"] == true);
  CHECK(body["latest_version"] == 2);
  CHECK(body["retired"] == false);
  REQUIRE(body["versions"].size() == 2);
  CHECK(body["versions"][0]["origin"] == "shipped");
  CHECK(body["versions"][1]["origin"] == "uploaded");
  CHECK(body["versions"][1]["source"] == "POST /v1/workflows");
  CHECK(body["versions"][1]["published_at"] == "2025-11-11T09:00:00+08:00");

  const auto after = h.open();
  REQUIRE(h.call("POST", "/v1/cases/" + after + "/dispatch", "{}").status == 200);
  const auto old_case = json_of(h.call("GET", "/v1/cases/" + before));
  const auto new_case = json_of(h.call("GET", "/v1/cases/" + after));
  CHECK(old_case["workflow"]["version"] == 1);
  CHECK(new_case["workflow"]["version"] == 2);
  CHECK(new_case["accept_by"] == "2025-11-11T11:00:00+08:00");
  CHECK(old_case["accept_by"] != new_case["accept_by"]);
  CHECK(json_of(h.call("GET", "/v1/workflows/property-first?version=2"))["workflow"]["steps"][0]["accept_within"] ==
        "2h");

  // The same content again changes nothing.
  const auto again = h.call("POST", "/v1/workflows", property_first_accepting_within(h, "2h"));
  CHECK(again.status == 200);
  CHECK(json_of(again)["changed"] == false);
  CHECK(json_of(again)["latest_version"] == 2);
}

TEST_CASE("ARefusedUploadAnswersEveryProblemWithItsPointerAndLineAndChangesNothing") {
  RoutesHarness h;
  auto workflow = json_of(h.call("GET", "/v1/workflows/property-first"))["workflow"];
  workflow["steps"][1]["role"] = "roofer";
  workflow["reopen"]["when_exhausted"] = "nowhere";
  const auto refused = h.call("POST", "/v1/workflows", workflow.dump(2));
  const auto seen = problem_of(refused);
  CHECK(seen.status == 422);
  CHECK(seen.slug == "invalid-workflow");
  const auto errors = json_of(refused)["errors"];
  REQUIRE(errors.size() == 2);
  std::map<std::string, int> lines;
  for (const auto& e : errors) lines[e["pointer"].get<std::string>()] = e["line"].get<int>();
  // dump(2) puts each key of the document on a line of its own, in sorted order.
  const auto text = workflow.dump(2);
  const auto line_of_text = [&](const std::string& needle) {
    return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(text.find(needle)), '\n'));
  };
  CHECK(lines.at("/steps/1/role") == line_of_text("\"roofer\""));
  CHECK(lines.at("/reopen/when_exhausted") == line_of_text("\"nowhere\""));
  CHECK(json_of(h.call("GET", "/v1/workflows"))["workflows"][0]["latest_version"] == 1);

  CHECK(problem_of(h.call("POST", "/v1/workflows", "{\"id\": 1")).slug == "malformed-json");
  CHECK(problem_of(h.call("POST", "/v1/workflows", "")).slug == "missing-field");
  CHECK(problem_of(h.call("POST", "/v1/workflows", "{}", {{"content-type", "text/plain"}})).slug ==
        "unsupported-media-type");
  const auto schema = h.call("POST", "/v1/workflows", R"({"id": "x"})");
  CHECK(problem_of(schema).slug == "invalid-workflow");
  CHECK(!json_of(schema)["errors"].empty());
}

TEST_CASE("ARetiredWorkflowTakesNoNewCasesAndComesBackWhenReinstated") {
  RoutesHarness h;
  const auto running = h.open();
  const auto retired = h.call("POST", "/v1/workflows/property-first/retire");
  REQUIRE(retired.status == 200);
  CHECK(json_of(retired)["retired"] == true);
  CHECK(json_of(retired)["changed"] == true);
  CHECK(json_of(h.call("POST", "/v1/workflows/property-first/retire"))["changed"] == false);
  CHECK(json_of(h.call("GET", "/v1/workflows"))["workflows"][0]["retired"] == true);

  const auto refused = h.call("POST", "/v1/cases", leak_body().dump());
  CHECK(refused.status == 422);
  CHECK(json_of(refused)["code"] == "not_found");
  // Its cases go on by it.
  CHECK(h.call("POST", "/v1/cases/" + running + "/dispatch", "{}").status == 200);

  const auto back = h.call("POST", "/v1/workflows/property-first/reinstate");
  REQUIRE(back.status == 200);
  CHECK(json_of(back)["retired"] == false);
  CHECK(!h.open().empty());

  CHECK(problem_of(h.call("POST", "/v1/workflows/nowhere/retire")).slug == "workflow-not-found");
  CHECK(problem_of(h.call("POST", "/v1/workflows/property-first/retire", "{}")).slug == "unknown-field");
  CHECK(h.call("GET", "/v1/workflows/property-first/retire").status == 405);
  CHECK(problem_of(h.call("POST", "/v1/workflows/property-first/delete")).slug == "route-not-found");
}

TEST_CASE("ReinstatingAWorkflowWhoseCasesAnotherNowTakesIsAConflict") {
  RoutesHarness h;
  REQUIRE(h.call("POST", "/v1/workflows/property-first/retire").status == 200);
  auto twin = json_of(h.call("GET", "/v1/workflows/property-first"))["workflow"];
  twin["id"] = "property-first-2026";
  REQUIRE(h.call("POST", "/v1/workflows", twin.dump()).status == 201);
  const auto clash = h.call("POST", "/v1/workflows/property-first/reinstate");
  const auto seen = problem_of(clash);
  CHECK(seen.status == 409);
  CHECK(seen.slug == "workflow-conflict");
  CHECK(json_of(clash)["engine_detail"].get<std::string>().find("property-first-2026") != std::string::npos);
}

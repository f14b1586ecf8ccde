// The request log and X-Request-Id (docs/http.md, "The request log").
#include <doctest/doctest.h>

#include <regex>

#include "http_support.hpp"

using namespace escalator;
using namespace escalator::testing;
using nlohmann::json;

namespace {

std::vector<json> lines_with(const std::vector<json>& lines, const std::string& message) {
  std::vector<json> found;
  for (const auto& line : lines) {
    if (line.value("msg", "") == message) found.push_back(line);
  }
  return found;
}

}  // namespace

TEST_CASE("EveryAnswerCarriesTheRequestIdTheClientSentOrOneMadeForIt") {
  RoutesHarness h;
  const auto given = h.call("GET", "/healthz", "", {{"x-request-id", "nginx-7f3a9c"}});
  CHECK(header_of(given, "X-Request-Id") == "nginx-7f3a9c");
  const auto made = header_of(h.call("GET", "/healthz"), "X-Request-Id");
  CHECK(std::regex_match(made, std::regex("[0-9a-f]{32}")));
  CHECK(made != header_of(h.call("GET", "/healthz"), "X-Request-Id"));
  // An id that could not be logged as it is, or is too long, is replaced.
  for (const std::string& bad : std::vector<std::string>{"has space", "quote\"", std::string(201, 'a'), "换行"}) {
    const auto replaced = header_of(h.call("GET", "/healthz", "", {{"x-request-id", bad}}), "X-Request-Id");
    CHECK(std::regex_match(replaced, std::regex("[0-9a-f]{32}")));
  }
  // Problems carry it too.
  CHECK(header_of(h.call("GET", "/v1/nowhere", "", {{"x-request-id", "r-404"}}), "X-Request-Id") == "r-404");
}

TEST_CASE("EachRequestIsOneLogLineWithItsRouteStatusAndCaseButNoPersonalData") {
  RoutesHarness h;
  const auto opened = h.call("POST", "/v1/cases", leak_body().dump(), {{"x-request-id", "open-1"}});
  REQUIRE(opened.status == 201);
  const auto id = json_of(opened)["case_id"].get<std::string>();
  REQUIRE(h.call("POST", "/v1/cases/" + id + "/dispatch", "", {{"x-request-id", "dispatch-1"}}).status == 200);
  h.call("GET", "/v1/cases?compound=yangguang-garden&category=%E7%89%A9%E4%B8%9A");
  h.call("GET", "/v1/cases/370811-20251111-999999");
  h.call("GET", "/v1/cases/13800000000?at=yesterday");  // refused before the case is looked for

  const auto lines = h.log_lines();
  const auto requests = lines_with(lines, "request");
  REQUIRE(requests.size() == 5);
  CHECK(requests[0]["request_id"] == "open-1");
  CHECK(requests[0]["method"] == "POST");
  CHECK(requests[0]["route"] == "/v1/cases");
  CHECK(requests[0]["status"] == 201);
  CHECK(requests[0]["case"] == id);  // the case it opened
  CHECK(requests[0]["duration_ms"].is_number());
  CHECK(requests[0]["level"] == "info");
  CHECK(!requests[0]["time"].get<std::string>().empty());
  CHECK(requests[1]["route"] == "/v1/cases/{id}/{command}");
  CHECK(requests[1]["case"] == id);
  CHECK(requests[2]["route"] == "/v1/cases");
  CHECK(!requests[2].contains("case"));
  CHECK(requests[3]["status"] == 404);
  CHECK(!requests[3].contains("case"));  // a case that does not exist is not named
  CHECK(requests[4]["status"] == 400);
  CHECK(!requests[4].contains("case"));  // nor what is not shaped like a case id
  // Nothing of what the resident said, nor the query, is in any line.
  const auto text = h.log_text.str();
  for (const std::string personal : {"张三", "13800000000", "漏水", "3号楼", "yangguang-garden", "compound="}) {
    CHECK_MESSAGE(text.find(personal) == std::string::npos, personal);
  }
}

TEST_CASE("TheEnginesLinesAboutACommandCarryTheRequestIdThatAskedForIt") {
  RoutesHarness h;
  const auto id = h.open();
  REQUIRE(h.call("POST", "/v1/cases/" + id + "/dispatch", "", {{"x-request-id", "dispatch-42"}}).status == 200);
  REQUIRE(h.call("POST", "/v1/cases/" + id + "/close", "", {{"x-request-id", "close-43"}}).status == 409);
  const auto decided = lines_with(h.log_lines(), "command decided");
  REQUIRE(decided.size() == 2);
  CHECK(decided[0]["command"] == "open");
  CHECK(decided[0]["request_id"].get<std::string>().size() == 32);
  CHECK(decided[1]["command"] == "dispatch");
  CHECK(decided[1]["case"] == id);
  CHECK(decided[1]["request_id"] == "dispatch-42");
  const auto refused = lines_with(h.log_lines(), "command refused");
  REQUIRE(refused.size() == 1);
  CHECK(refused[0]["request_id"] == "close-43");
  CHECK(refused[0]["code"] == "failed_precondition");
}

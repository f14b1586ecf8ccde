#include <doctest/doctest.h>

#include "http_support.hpp"

using namespace escalator;
using namespace escalator::testing;
using nlohmann::json;

TEST_CASE("OpeningWithAnExternalIdOrAnIdempotencyKeyTwiceGivesOneCase") {
  RoutesHarness h;
  auto body = leak_body();
  body["external_id"] = "GD-20251111-0001";
  const auto first = h.call("POST", "/v1/cases", body.dump());
  CHECK(first.status == 201);
  const auto id = json_of(first)["case_id"].get<std::string>();
  CHECK(header_of(first, "Location") == "/v1/cases/" + id);
  CHECK(header_of(first, "ETag") == "\"1\"");
  const auto again = h.call("POST", "/v1/cases", body.dump());
  CHECK(again.status == 200);
  CHECK(json_of(again)["case_id"] == id);
  CHECK(json_of(again)["duplicate"] == true);

  const auto keyed = h.call("POST", "/v1/cases", leak_body().dump(), {{"idempotency-key", "walk-in-77"}});
  const auto keyed_again = h.call("POST", "/v1/cases", leak_body().dump(), {{"idempotency-key", "walk-in-77"}});
  CHECK(keyed.status == 201);
  CHECK(keyed_again.status == 200);
  CHECK(json_of(keyed)["case_id"] == json_of(keyed_again)["case_id"]);
  // Without either, each request is a report of its own.
  CHECK(h.open() != h.open());
  CHECK(h.engine->case_ids().size() == 4);
}

TEST_CASE("ACaseIsReadWithItsVersionAsETagAndTheResidentsWords") {
  RoutesHarness h;
  auto body = leak_body();
  body["content"] = "楼上漏水😀𠀋，已三天";  // an emoji and a rare character: four bytes each in UTF-8
  const auto id = h.open(body);
  const auto read = h.call("GET", "/v1/cases/" + id);
  REQUIRE(read.status == 200);
  CHECK(header_of(read, "ETag") == "\"1\"");
  const auto k = json_of(read);
  CHECK(k["id"] == id);
  CHECK(k["state"] == "new");
  CHECK(k["content"] == "楼上漏水😀𠀋，已三天");
  CHECK(k["reporter"]["phone"] == "13800000000");
  CHECK(k["location"]["address"] == "3号楼2单元401");
  CHECK(k["location"]["grid"] == "yangguang-1");
  CHECK(!k.contains("personal"));
  const auto unchanged = h.call("GET", "/v1/cases/" + id, "", {{"if-none-match", "\"1\""}});
  CHECK(unchanged.status == 304);
  CHECK(unchanged.body.empty());
  CHECK(h.call("GET", "/v1/cases/" + id, "", {{"if-none-match", "\"0\""}}).status == 200);
}

TEST_CASE("EveryLifecycleCommandHasItsRouteAndACaseGoesToClosedThroughThem") {
  RoutesHarness h;
  const auto id = h.open();
  const auto step = [&](const std::string& name, json body = json::object(), int version = 0) {
    std::map<std::string, std::string> headers;
    if (version > 0) headers["if-match"] = "\"" + std::to_string(version) + "\"";
    return h.call("POST", "/v1/cases/" + id + "/" + name, body.dump(), headers);
  };
  CHECK(step("dispatch", json::object(), 1).status == 200);
  CHECK(step("accept", json::object(), 2).status == 200);
  CHECK(step("urge", {{"note", "居民再次来电"}}).status == 200);
  const auto replied = step("reply", {{"outcome", "resolved"}, {"answer", "已修复"}});
  REQUIRE(replied.status == 200);
  CHECK(json_of(replied)["state"] == "replied");
  CHECK(json_of(replied)["events"][0]["type"] == "CaseReplied");
  CHECK(step("follow_up").status == 200);
  CHECK(step("rate", {{"rating", "满意"}}).status == 200);
  const auto closed = step("close", {{"note", "办结"}, {"actor", "staff-3"}});
  REQUIRE(closed.status == 200);
  CHECK(json_of(closed)["state"] == "closed");
  CHECK(json_of(closed)["events"][0]["actor"] == "staff-3");
  CHECK(header_of(closed, "ETag") == "\"" + std::to_string(json_of(closed)["version"].get<int>()) + "\"");

  const auto history = h.call("GET", "/v1/cases/" + id + "/history");
  REQUIRE(history.status == 200);
  const auto events = json_of(history)["events"];
  CHECK(events.size() == json_of(closed)["version"].get<std::size_t>());
  CHECK(events[0]["type"] == "CaseOpened");
  CHECK(events[1]["prev_hash"] == events[0]["hash"]);
  CHECK(events.back()["hash"].get<std::string>().size() == 64);
}

TEST_CASE("ARepeatedIdempotencyKeyOnACommandGivesTheFirstDecisionAgain") {
  RoutesHarness h;
  const auto id = h.open();
  const auto first = h.call("POST", "/v1/cases/" + id + "/dispatch", "", {{"idempotency-key", "d-1"}});
  const auto again = h.call("POST", "/v1/cases/" + id + "/dispatch", "", {{"idempotency-key", "d-1"}});
  CHECK(first.status == 200);
  CHECK(again.status == 200);
  CHECK(json_of(again)["duplicate"] == true);
  CHECK(json_of(again)["version"] == json_of(first)["version"]);
  CHECK(h.engine->get(id)->version == 2);
  // The same key for another command is a client's mistake, not a repeat.
  CHECK(problem_of(h.call("POST", "/v1/cases/" + id + "/accept", "", {{"idempotency-key", "d-1"}})).status == 422);
  CHECK(problem_of(h.call("POST", "/v1/cases/" + id + "/accept", "", {{"idempotency-key", std::string(201, 'k')}}))
            .slug == "bad-header");
}

TEST_CASE("AStaleOrWeakIfMatchIs412AndAMalformedOne400AndNothingChanges") {
  RoutesHarness h;
  const auto id = h.open();
  auto stale = problem_of(h.call("POST", "/v1/cases/" + id + "/dispatch", "", {{"if-match", "\"7\""}}));
  CHECK(stale.status == 412);
  CHECK(stale.slug == "stale-version");
  CHECK(problem_of(h.call("POST", "/v1/cases/" + id + "/dispatch", "", {{"if-match", "W/\"1\""}})).status == 412);
  CHECK(problem_of(h.call("POST", "/v1/cases/" + id + "/dispatch", "", {{"if-match", "1"}})).slug == "bad-header");
  CHECK(h.engine->get(id)->version == 1);
  CHECK(h.call("POST", "/v1/cases/" + id + "/dispatch", "", {{"if-match", "*"}}).status == 200);
}

TEST_CASE("ARefusedTransitionIs409WithTheLifecyclesReason") {
  RoutesHarness h;
  const auto id = h.open();
  const auto refused = h.call("POST", "/v1/cases/" + id + "/close");
  auto seen = problem_of(refused);
  CHECK(seen.status == 409);
  CHECK(seen.slug == "refused-transition");
  CHECK(json_of(refused)["code"] == "failed_precondition");
  CHECK(json_of(refused)["detail"] == "工单 " + id + " 当前为「待派单」，不能「办结」");
  CHECK(json_of(refused)["engine_detail"].get<std::string>().find("New") != std::string::npos);
  // The state takes a dispatch; its guard refuses a lead unit at another
  // level, and the detail does not blame the state.
  const auto guarded =
      h.call("POST", "/v1/cases/" + id + "/dispatch", json{{"lead_unit", "yangguang-1.station"}}.dump());
  CHECK(problem_of(guarded).slug == "refused-transition");
  CHECK(json_of(guarded)["detail"] == "工单 " + id + " 的「派单」未获准：所给的条件不符合流程或名录的要求，原因见 engine_detail");
  CHECK(json_of(guarded)["engine_detail"].get<std::string>().find("at level") != std::string::npos);
  CHECK(h.engine->get(id)->version == 1);
}

TEST_CASE("AnUnknownCaseIs404AndSomethingACommandNamesThatDoesNotExistIs422") {
  RoutesHarness h;
  CHECK(problem_of(h.call("GET", "/v1/cases/370811-20251111-999999")).slug == "case-not-found");
  CHECK(problem_of(h.call("GET", "/v1/cases/370811-20251111-999999/history")).slug == "case-not-found");
  CHECK(problem_of(h.call("POST", "/v1/cases/370811-20251111-999999/accept")).slug == "case-not-found");
  const auto id = h.open();
  const auto missing = h.call("POST", "/v1/cases/" + id + "/merge", json{{"into", "370811-20251111-999999"}}.dump());
  CHECK(problem_of(missing).slug == "unknown-reference");
  CHECK(json_of(missing)["code"] == "not_found");
  CHECK(h.engine->get(id)->version == 1);
}

TEST_CASE("RoutesMethodsAndQueriesTheServiceDoesNotHaveAreRefused") {
  RoutesHarness h;
  CHECK(problem_of(h.call("GET", "/v2/cases")).slug == "route-not-found");
  CHECK(problem_of(h.call("GET", "/v1/cases/x/y/z")).slug == "route-not-found");
  CHECK(problem_of(h.call("POST", "/v1/cases/x/acept")).slug == "route-not-found");
  CHECK(problem_of(h.call("POST", "/v1/cases/x/accept_timeout")).slug == "route-not-found");
  CHECK(problem_of(h.call("GET", "/v1/cases/%zz")).slug == "route-not-found");
  const auto wrong_method = h.call("DELETE", "/v1/cases");
  CHECK(problem_of(wrong_method).status == 405);
  CHECK(header_of(wrong_method, "Allow") == "GET, POST");
  CHECK(problem_of(h.call("PUT", "/v1/cases/x")).status == 405);
  CHECK(problem_of(h.call("GET", "/v1/cases/x?state=new")).slug == "bad-query");
  CHECK(h.call("GET", "/healthz").status == 200);
  CHECK(h.call("GET", "/readyz").status == 200);
  h.routes->stopping();
  CHECK(problem_of(h.call("GET", "/readyz")).status == 503);
  CHECK(h.engine->case_ids().empty());
}

TEST_CASE("BodiesThatAreNotStrictJsonAreRefusedEachWithItsOwnKind") {
  RoutesHarness h;
  const auto post = [&](std::string body, std::map<std::string, std::string> headers = {}) {
    return problem_of(h.call("POST", "/v1/cases", std::move(body), std::move(headers)));
  };
  CHECK(post("{\"category\":").slug == "malformed-json");
  CHECK(post("{\"id\": 1e999}").slug == "malformed-json");
  CHECK(post("{\"content\":\"\xff\xfe\"}").slug == "invalid-utf8");
  CHECK(post(std::string(40, '[') + std::string(40, ']')).slug == "too-deep");
  const auto twice = post(R"({"content":"a","location":{"compound":"x","compound":"y"}})");
  CHECK(twice.slug == "duplicate-key");
  CHECK(twice.pointer == "/location/compound");
  CHECK(post("[1]").slug == "wrong-type");
  CHECK(post("{}", {{"content-type", "text/plain"}}).slug == "unsupported-media-type");
  CHECK(post("{}", {{"content-type", "application/json; charset=utf-8"}}).slug == "missing-field");

  auto body = leak_body();
  body["location"]["compund"] = "typo";
  auto unknown = post(body.dump());
  CHECK(unknown.slug == "unknown-field");
  CHECK(unknown.pointer == "/location/compund");
  body = leak_body();
  body["urgent"] = "yes";
  auto wrong = post(body.dump());
  CHECK(wrong.slug == "wrong-type");
  CHECK(wrong.pointer == "/urgent");
  body = leak_body();
  body.erase("content");
  CHECK(post(body.dump()).pointer == "/content");
  body = leak_body();
  body["request_type"] = "抱怨";
  auto unnamed = post(body.dump());
  CHECK(unnamed.slug == "invalid-field");
  CHECK(unnamed.pointer == "/request_type");
  body = leak_body();
  body["location"]["district_code"] = "3708";
  auto engine_says = post(body.dump());
  CHECK(engine_says.slug == "invalid-field");
  CHECK(engine_says.pointer == "/location/district_code");
  CHECK(h.engine->case_ids().empty());
}

TEST_CASE("AComplaintLongerThanTheTextLimitIsRefusedNamingTheLimit") {
  RoutesHarness h;
  auto body = leak_body();
  std::string long_text;
  for (int i = 0; i < 100000; ++i) long_text += "漏";
  body["content"] = long_text;
  const auto refused = h.call("POST", "/v1/cases", body.dump());
  auto seen = problem_of(refused);
  CHECK(seen.status == 422);
  CHECK(seen.pointer == "/content");
  CHECK(json_of(refused)["detail"] == "字段 /content 的取值不被接受");
  CHECK(json_of(refused)["engine_detail"].get<std::string>().find("4000") != std::string::npos);
  CHECK(h.engine->case_ids().empty());
}

TEST_CASE("CommandsBeyondTheLimitInFlightAre503WithRetryAfter") {
  http::HttpLimits limits;
  limits.max_commands_in_flight = 0;
  RoutesHarness h(limits);
  const auto refused = h.call("POST", "/v1/cases", leak_body().dump());
  CHECK(problem_of(refused).slug == "overloaded");
  CHECK(header_of(refused, "Retry-After") == "1");
  CHECK(h.engine->case_ids().empty());
}

TEST_CASE("ACaseIsReadAsItStoodAtAPastMomentThroughReplay") {
  RoutesHarness h;
  const auto id = h.open();  // 2025-11-11 09:00
  h.clock->advance(std::chrono::hours(2));
  REQUIRE(h.call("POST", "/v1/cases/" + id + "/dispatch").status == 200);
  const auto then = h.call("GET", "/v1/cases/" + id + "?at=2025-11-11T10:00:00%2B08:00");
  REQUIRE(then.status == 200);
  CHECK(json_of(then)["state"] == "new");
  CHECK(json_of(then)["version"] == 1);
  CHECK(header_of(then, "ETag").empty());
  const auto now = h.call("GET", "/v1/cases/" + id + "?at=2025-11-11T11:00:00+08:00");
  CHECK(json_of(now)["state"] == "dispatched");
  CHECK(json_of(now) == json_of(h.call("GET", "/v1/cases/" + id)));
  CHECK(problem_of(h.call("GET", "/v1/cases/" + id + "?at=2025-11-10T09:00:00%2B08:00")).slug == "case-not-found");
  CHECK(problem_of(h.call("GET", "/v1/cases/" + id + "?at=yesterday")).slug == "bad-query");
  CHECK(problem_of(h.call("GET", "/v1/cases/" + id + "?at=2025-11-11T10:00:00Z&at=2025-11-11T10:00:00Z")).slug ==
        "bad-query");
  CHECK(problem_of(h.call("GET", "/v1/cases/" + id + "?when=2025-11-11T10:00:00Z")).slug == "bad-query");
  CHECK(problem_of(h.call("GET", "/v1/cases/" + id + "?at=%G1")).slug == "bad-query");
}

TEST_CASE("MetricsCountRequestsByRouteTemplateAndCommandsByOutcome") {
  RoutesHarness h;
  const auto id = h.open();
  h.call("POST", "/v1/cases/" + id + "/close");  // refused
  h.call("POST", "/v1/cases/" + id + "/dispatch", "", {{"idempotency-key", "d"}});
  h.call("POST", "/v1/cases/" + id + "/dispatch", "", {{"idempotency-key", "d"}});  // a repeat
  h.call("BREW", "/v1/cases");
  const auto metrics = h.call("GET", "/metrics");
  REQUIRE(metrics.status == 200);
  CHECK(metrics.content_type == "text/plain; version=0.0.4; charset=utf-8");
  const auto has = [&](const std::string& line) { return metrics.body.find("\n" + line + "\n") != std::string::npos; };
  CHECK(has(R"(escalator_commands_total{command="close",outcome="failed_precondition"} 1)"));
  CHECK(has(R"(escalator_commands_total{command="dispatch",outcome="decided"} 1)"));
  CHECK(has(R"(escalator_commands_total{command="dispatch",outcome="duplicate"} 1)"));
  CHECK(has(R"(escalator_http_requests_total{route="/v1/cases/{id}/{command}",method="POST",status="200"} 2)"));
  CHECK(has(R"(escalator_http_requests_total{route="/v1/cases/{id}/{command}",method="POST",status="409"} 1)"));
  CHECK(has(R"(escalator_http_requests_total{route="/v1/cases",method="other",status="405"} 1)"));
  CHECK(has(R"(escalator_cases_open{state="dispatched"} 1)"));
  CHECK(has(R"(escalator_cases_open{state="new"} 0)"));
  CHECK(has("escalator_timers_pending 4"));  // the accept and reply deadlines, each with its warning
  CHECK(metrics.body.find(id) == std::string::npos);  // no id ever becomes a label
}

TEST_CASE("CasesAreListedByTheirFieldsAPageAtATime") {
  RoutesHarness h;
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(h.open());
  REQUIRE(h.call("POST", "/v1/cases/" + ids[0] + "/dispatch").status == 200);
  auto listed = h.call("GET", "/v1/cases?state=new&compound=yangguang-garden");
  REQUIRE(listed.status == 200);
  auto body = json_of(listed);
  CHECK(body["cases"].size() == 4);
  CHECK(body["next_cursor"].is_null());
  CHECK(body["cases"][0]["id"] == ids[1]);
  CHECK(json_of(h.call("GET", "/v1/cases?category=%E7%89%A9%E4%B8%9A"))["cases"].size() == 5);  // 物业
  CHECK(json_of(h.call("GET", "/v1/cases?state=dispatched&overdue=false"))["cases"][0]["id"] == ids[0]);

  std::vector<std::string> seen;
  std::string target = "/v1/cases?limit=2";
  for (int pages = 0; pages < 5; ++pages) {
    auto page = json_of(h.call("GET", target));
    for (const auto& k : page["cases"]) seen.push_back(k["id"]);
    if (page["next_cursor"].is_null()) break;
    target = "/v1/cases?limit=2&cursor=" + page["next_cursor"].get<std::string>();
  }
  CHECK(seen == ids);

  CHECK(problem_of(h.call("GET", "/v1/cases?state=open")).pointer.empty());
  CHECK(json_of(h.call("GET", "/v1/cases?state=open"))["detail"] == "查询参数 state 不被接受");
  CHECK(json_of(h.call("GET", "/v1/cases?state=open"))["engine_detail"].get<std::string>().starts_with("state: "));
  CHECK(problem_of(h.call("GET", "/v1/cases?limit=0")).slug == "bad-query");
  CHECK(problem_of(h.call("GET", "/v1/cases?limit=501")).slug == "bad-query");
  CHECK(problem_of(h.call("GET", "/v1/cases?overdue=yes")).slug == "bad-query");
  CHECK(problem_of(h.call("GET", "/v1/cases?cursor=nonsense")).slug == "bad-query");
  CHECK(problem_of(h.call("GET", "/v1/cases?sort=opened")).slug == "bad-query");
}

TEST_CASE("AUnitsInboxListsItsOpenCasesNearestDeadlineFirst") {
  RoutesHarness h;
  const auto first = h.open();
  REQUIRE(h.call("POST", "/v1/cases/" + first + "/dispatch").status == 200);
  h.clock->advance(std::chrono::hours(2));
  const auto second = h.open();
  REQUIRE(h.call("POST", "/v1/cases/" + second + "/dispatch").status == 200);
  const auto unit = json_of(h.call("GET", "/v1/cases/" + first))["lead_unit"].get<std::string>();
  const auto inbox = h.call("GET", "/v1/inbox?unit=" + unit);
  REQUIRE(inbox.status == 200);
  const auto body = json_of(inbox);
  CHECK(body["unit"] == unit);
  REQUIRE(body["entries"].size() == 2);
  CHECK(body["entries"][0]["case"]["id"] == first);
  CHECK(body["entries"][0]["deadline"]["kind"] == "accept");
  CHECK(body["entries"][0]["colour"] == "green");
  CHECK(body["entries"][0]["working_seconds_left"].get<long>() > 0);
  CHECK(body["entries"][0]["working_hours_left"].get<double>() ==
        doctest::Approx(body["entries"][0]["working_seconds_left"].get<double>() / 3600).epsilon(0.05));
  CHECK(body["entries"][1]["case"]["id"] == second);
  CHECK(json_of(h.call("GET", "/v1/inbox?unit=nobody"))["entries"].empty());
  CHECK(problem_of(h.call("GET", "/v1/inbox")).slug == "bad-query");
}

TEST_CASE("ASuspendedCasesDeadlinesReadAsPausedWithTheTimeLeft") {
  RoutesHarness h;
  const auto id = h.open();  // Tuesday 2025-11-11 09:00
  REQUIRE(h.call("POST", "/v1/cases/" + id + "/dispatch").status == 200);
  REQUIRE(h.call("POST", "/v1/cases/" + id + "/accept").status == 200);
  const auto running = json_of(h.call("GET", "/v1/cases/" + id));
  CHECK(running["resolve_by"] == "2025-11-15T00:00:00+08:00");
  CHECK_FALSE(running.contains("paused"));

  h.clock->advance(std::chrono::hours(24));  // Wednesday 09:00
  REQUIRE(h.call("POST", "/v1/cases/" + id + "/suspend", R"({"reason":"联系不上楼上业主"})").status == 200);
  h.clock->advance(std::chrono::hours(24 * 7));
  for (const auto& read : {json_of(h.call("GET", "/v1/cases/" + id)),
                           json_of(h.call("GET", "/v1/cases?state=suspended"))["cases"][0]}) {
    CHECK_FALSE(read.contains("resolve_by"));
    CHECK_FALSE(read.contains("reply_by"));
    REQUIRE(read["paused"].size() == 2);
    CHECK(read["paused"][0]["kind"] == "resolve");
    CHECK(read["paused"][0]["was_due"] == "2025-11-15T00:00:00+08:00");
    CHECK(read["paused"][0]["left_seconds"] == 21 * 3600);  // Wednesday to Friday, 7 working hours each
    CHECK(read["paused"][0]["working"] == true);
    CHECK(read["paused"][0]["words"] == "paused, 21h of working time left");
    CHECK(read["paused"][1]["kind"] == "reply");
  }
  REQUIRE(h.call("POST", "/v1/cases/" + id + "/resume").status == 200);
  const auto resumed = json_of(h.call("GET", "/v1/cases/" + id));
  CHECK(resumed["resolve_by"] == "2025-11-22T00:00:00+08:00");
  CHECK_FALSE(resumed.contains("paused"));
}

// GET /v1/stats: the report `escalator stats` gives, as JSON and as CSV; and
// GET /v1/stats/cases: the cases behind one of its counts.
#include <doctest/doctest.h>

#include "escalator/store/report_formats.hpp"
#include "http_support.hpp"

using namespace escalator;
using namespace escalator::testing;
using nlohmann::json;

namespace {

// Two hotline cases and a WeChat one on Tuesday 2025-11-11; the first dispatched.
void three_cases(RoutesHarness& h) {
  const auto first = h.open();
  h.open();
  auto chat = leak_body();
  chat["channel"] = "wechat";
  h.open(chat);
  REQUIRE(h.call("POST", "/v1/cases/" + first + "/dispatch").status == 200);
}

// A GET of `target` is 400 bad-query, its detail naming `named`.
void refused_naming(RoutesHarness& h, const std::string& target, const std::string& named) {
  const auto answer = h.call("GET", target);
  CHECK(problem_of(answer).slug == "bad-query");
  CHECK_MESSAGE(json_of(answer)["detail"].get<std::string>().find(named) != std::string::npos, answer.body);
}

}  // namespace

TEST_CASE("AReportOverHttpGivesEveryFigureByGroupFromTheCounters") {
  RoutesHarness h;
  three_cases(h);
  const auto read = h.call("GET", "/v1/stats?from=2025-11-01&to=2025-11-30&by=channel");
  REQUIRE(read.status == 200);
  CHECK(read.content_type == "application/json");
  const auto report = json_of(read);
  CHECK(report["from"] == "2025-11-01");
  CHECK(report["to"] == "2025-11-30");
  CHECK(report["by"] == "channel");
  REQUIRE(report["groups"].size() == 2);
  CHECK(report["groups"][0]["group"] == "hotline");
  CHECK(report["groups"][0]["figures"]["received"] == 2);
  CHECK(report["groups"][0]["figures"]["handed"] == 1);
  CHECK(report["groups"][1]["group"] == "wechat");
  CHECK(report["groups"][1]["figures"]["received"] == 1);
  CHECK(report["total"]["received"] == 3);
  CHECK(report["total"]["satisfaction_rate"].is_null());  // nobody has rated yet
  // Every figure the CLI gives is there, by the same names.
  for (const auto& figure : stats::figures()) CHECK(report["total"].contains(std::string(figure.name)));
  // The engine's own report, in the bytes `escalator stats --json` is made of.
  const auto same = h.engine->report({*stats::parse_day("2025-11-01"), *stats::parse_day("2025-11-30"),
                                      stats::Dimension::kChannel});
  REQUIRE(same);
  CHECK(read.body == stats::report_json(*same, h.engine->config().stats));

  // A day outside the period counts nothing; the grouping defaults to all.
  const auto october = json_of(h.call("GET", "/v1/stats?from=2025-10-01&to=2025-10-31"));
  CHECK(october["by"] == "all");
  CHECK(october["groups"].empty());
  CHECK(october["total"]["received"] == 0);
}

TEST_CASE("AReportIsCsvForASpreadsheetWhenAskedByFormatOrAccept") {
  RoutesHarness h;
  three_cases(h);
  const auto by_format = h.call("GET", "/v1/stats?from=2025-11-11&to=2025-11-11&by=channel&format=csv");
  const auto by_accept =
      h.call("GET", "/v1/stats?from=2025-11-11&to=2025-11-11&by=channel", "", {{"accept", "text/csv, application/json;q=0.5"}});
  for (const auto& csv : {by_format, by_accept}) {
    REQUIRE(csv.status == 200);
    CHECK(csv.content_type == "text/csv; charset=utf-8");
    CHECK(header_of(csv, "Content-Disposition") == "attachment; filename=\"stats-2025-11-11-2025-11-11-channel.csv\"");
    CHECK(csv.body.starts_with("\xEF\xBB\xBFgroup,received,"));
    CHECK(csv.body.find("\r\nhotline,2,") != std::string::npos);
    CHECK(csv.body.find("\r\nwechat,1,") != std::string::npos);
    CHECK(csv.body.find("\r\n合计,3,") != std::string::npos);
    CHECK(csv.body.ends_with("\r\n"));
  }
  CHECK(by_format.body == by_accept.body);
  // JSON unless CSV is preferred, and format= wins over Accept.
  CHECK(h.call("GET", "/v1/stats?from=2025-11-11&to=2025-11-11", "", {{"accept", "application/json, text/csv"}})
            .content_type == "application/json");
  CHECK(h.call("GET", "/v1/stats?from=2025-11-11&to=2025-11-11&format=json", "", {{"accept", "text/csv"}})
            .content_type == "application/json");
}

TEST_CASE("AReportsParametersAreCheckedEachNamedInItsProblem") {
  RoutesHarness h;
  const auto refused = [&](const std::string& query, const std::string& named) {
    refused_naming(h, "/v1/stats" + query, named);
  };
  refused("", "from");
  refused("?from=2025-11-01", "to");
  refused("?from=2025-11-31&to=2025-12-01", "from");  // November has 30 days
  refused("?from=2025-11-10&to=2025-11-01", "to");
  refused("?from=2025-11-01&to=2025-11-30&by=weather", "by");
  refused("?from=2025-11-01&to=2025-11-30&by=meeting", "by");
  refused("?from=2025-11-01&to=2025-11-30&format=xlsx", "format");
  refused("?from=2025-11-01&to=2025-11-30&colour=red", "colour");
  CHECK(h.call("POST", "/v1/stats?from=2025-11-01&to=2025-11-30").status == 405);
}

TEST_CASE("TheCasesBehindACountAreListedAPageAtATimeAndAddUpToTheReport") {
  RoutesHarness h;
  three_cases(h);
  const std::string period = "from=2025-11-01&to=2025-11-30";
  const auto report = json_of(h.call("GET", "/v1/stats?" + period + "&by=channel"));
  const auto hotline = h.call("GET", "/v1/stats/cases?count=received&" + period + "&by=channel&group=hotline");
  REQUIRE(hotline.status == 200);
  const auto listed = json_of(hotline);
  CHECK(listed["count"] == "received");
  CHECK(listed["zh"] == "受理");
  CHECK(listed["by"] == "channel");
  CHECK(listed["group"] == "hotline");
  CHECK(listed["total"] == report["groups"][0]["figures"]["received"]);
  CHECK(listed["cases_total"] == 2);
  REQUIRE(listed["cases"].size() == 2);
  CHECK(listed["cases"][0]["case_id"] < listed["cases"][1]["case_id"]);
  for (const auto& row : listed["cases"]) {
    CHECK(row["count"] == 1);
    CHECK(row["channel"] == "hotline");
    CHECK(row["category"] == "物业/漏水");
    CHECK(row["opened_at"] == "2025-11-11T09:00:00+08:00");
  }
  CHECK(listed["next_cursor"].is_null());

  // One page of one: the cursor carries on where it stopped.
  const auto first = json_of(h.call("GET", "/v1/stats/cases?count=received&" + period + "&by=channel&group=hotline&limit=1"));
  REQUIRE(first["cases"].size() == 1);
  CHECK(first["cases"][0] == listed["cases"][0]);
  CHECK(first["next_cursor"] == listed["cases"][0]["case_id"]);
  const auto second = json_of(h.call("GET", "/v1/stats/cases?count=received&" + period +
                                                "&by=channel&group=hotline&limit=1&cursor=" +
                                                first["next_cursor"].get<std::string>()));
  REQUIRE(second["cases"].size() == 1);
  CHECK(second["cases"][0] == listed["cases"][1]);
  CHECK(second["next_cursor"].is_null());
  CHECK(second["cases_total"] == 2);

  // The dispatched case is the one handed to the property company, and the
  // whole store's group is the default.
  const auto handed = json_of(h.call("GET", "/v1/stats/cases?count=handed&" + period));
  REQUIRE(handed["cases"].size() == 1);
  CHECK(handed["group"] == "");
  CHECK(handed["cases"][0]["state"] == "dispatched");
  const auto unit = handed["cases"][0]["lead_unit"].get<std::string>();
  const auto of_unit = json_of(h.call("GET", "/v1/stats/cases?count=handed&" + period + "&by=unit&group=" + unit));
  CHECK(of_unit["cases"] == handed["cases"]);
  // October counted nothing.
  CHECK(json_of(h.call("GET", "/v1/stats/cases?count=received&from=2025-10-01&to=2025-10-31"))["cases"].empty());

  const auto csv = h.call("GET", "/v1/stats/cases?count=received&" + period + "&by=channel&group=hotline&limit=1&format=csv");
  REQUIRE(csv.status == 200);
  CHECK(csv.content_type == "text/csv; charset=utf-8");
  CHECK(csv.body.starts_with("\xEF\xBB\xBF" "case_id,count,state,category,channel,step,lead_unit,opened_at\r\n" +
                             listed["cases"][0]["case_id"].get<std::string>() + ",1,"));
  CHECK(header_of(csv, "X-Next-Cursor") == first["next_cursor"]);
  CHECK(header_of(csv, "Content-Disposition") ==
        "attachment; filename=\"cases-received-2025-11-01-2025-11-30-channel.csv\"");
}

TEST_CASE("TheParametersOfTheCasesBehindACountAreCheckedEachNamedInItsProblem") {
  RoutesHarness h;
  const auto refused = [&](const std::string& query, const std::string& named) {
    refused_naming(h, "/v1/stats/cases?from=2025-11-01&to=2025-11-30" + query, named);
  };
  refused("", "count");
  refused("&count=received_rate", "count");
  refused("&count=meetings", "count");            // a unit's meetings, not cases
  refused("&count=satisfaction_rate", "count");   // a rate
  refused("&count=received&by=unit", "group");    // which unit's
  refused("&count=received&group=hotline", "group");  // by=all has one group
  refused("&count=received&limit=0", "limit");
  refused("&count=received&limit=1001", "limit");
  refused("&count=received&by=weather&group=x", "by");
  refused("&count=received&sort=asc", "sort");
  CHECK(problem_of(h.call("GET", "/v1/stats/cases?count=received&to=2025-11-30")).slug == "bad-query");
  CHECK(h.call("POST", "/v1/stats/cases?count=received&from=2025-11-01&to=2025-11-30").status == 405);
}

#include <doctest/doctest.h>

#include <chrono>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "escalator/util/logger.hpp"
#include "escalator/util/time.hpp"

using namespace escalator;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace

TEST_CASE("LogLevelsRoundTripThroughTheirNames") {
  for (const auto level : {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarn, LogLevel::kError}) {
    CHECK(parse_log_level(to_string(level)) == level);
  }
  CHECK(to_string(LogLevel::kWarn) == "warn");
}

TEST_CASE("UnknownLogLevelIsRefusedListingTheLevels") {
  CHECK(parse_log_level("verbose").error() ==
        Error{ErrorCode::kInvalidArgument,
              "Expected a log level (debug, info, warn, error), but got 'verbose'"});
  CHECK_FALSE(parse_log_level("warning").has_value());
}

TEST_CASE("EachRecordIsOneJsonObjectWithFieldsInOrder") {
  std::ostringstream out;
  JsonLinesLogger logger(out, LogLevel::kInfo);
  const Timestamp before = SystemClock{}.now();
  logger.log({LogLevel::kInfo, "command decided", "370811-20250930-000017",
              {{"command", "accept"}, {"events", "1"}}});
  const Timestamp after = SystemClock{}.now();

  const auto lines = lines_of(out.str());
  REQUIRE(lines.size() == 1);
  const auto json = nlohmann::ordered_json::parse(lines[0]);
  const auto time = parse_time(json["time"].get<std::string>());
  REQUIRE(time.has_value());
  CHECK(before <= *time);
  CHECK(*time <= after);
  // Everything but the time is known exactly.
  CHECK(lines[0].substr(lines[0].find(",\"level\"")) ==
        R"(,"level":"info","msg":"command decided","case":"370811-20250930-000017",)"
        R"("command":"accept","events":"1"})");
  CHECK(lines[0].starts_with(R"({"time":")"));
}

TEST_CASE("CaseKeyIsOmittedWhenThereIsNoCase") {
  std::ostringstream out;
  JsonLinesLogger logger(out, LogLevel::kDebug);
  logger.log({LogLevel::kWarn, "engine started", "", {}});
  const auto json = nlohmann::json::parse(out.str());
  CHECK_FALSE(json.contains("case"));
  CHECK(json["level"] == "warn");
  CHECK(json["msg"] == "engine started");
  CHECK(json.size() == 3);
}

TEST_CASE("RecordsBelowTheThresholdAreDropped") {
  std::ostringstream out;
  JsonLinesLogger logger(out, LogLevel::kWarn);
  logger.log({LogLevel::kDebug, "noise", "", {}});
  logger.log({LogLevel::kInfo, "noise", "", {}});
  logger.log({LogLevel::kWarn, "kept", "", {}});
  logger.log({LogLevel::kError, "kept too", "", {}});
  const auto lines = lines_of(out.str());
  REQUIRE(lines.size() == 2);
  CHECK(nlohmann::json::parse(lines[0])["msg"] == "kept");
  CHECK(nlohmann::json::parse(lines[1])["msg"] == "kept too");
}

TEST_CASE("QuotesNewlinesAndChineseAreEscapedWithinOneLine") {
  std::ostringstream out;
  JsonLinesLogger logger(out, LogLevel::kInfo);
  logger.log({LogLevel::kError, "refused \"twice\"\nsecond line", "", {{"unit", "任城区\t住建局"}}});
  const auto lines = lines_of(out.str());
  REQUIRE(lines.size() == 1);
  const auto json = nlohmann::json::parse(lines[0]);
  CHECK(json["msg"] == "refused \"twice\"\nsecond line");
  CHECK(json["unit"] == "任城区\t住建局");
}

TEST_CASE("FieldsCannotOverwriteTheStandardKeys") {
  std::ostringstream out;
  JsonLinesLogger logger(out, LogLevel::kInfo);
  logger.log({LogLevel::kInfo, "real", "C-1", {{"msg", "forged"}, {"case", "C-2"}}});
  const auto json = nlohmann::json::parse(out.str());
  CHECK(json["msg"] == "real");
  CHECK(json["case"] == "C-1");
  CHECK(json["field.msg"] == "forged");
  CHECK(json["field.case"] == "C-2");
}

TEST_CASE("InvalidUtf8IsReplacedRatherThanThrown") {
  std::ostringstream out;
  JsonLinesLogger logger(out, LogLevel::kInfo);
  const std::string cut = std::string("任城区").substr(0, 4);  // ends inside a character
  logger.log({LogLevel::kInfo, "odd text", "", {{"unit", cut}}});
  const auto json = nlohmann::json::parse(out.str());
  CHECK(json["unit"] == "任\xEF\xBF\xBD");
}

TEST_CASE("ConcurrentWritersNeverInterleaveLines") {
  std::ostringstream out;
  JsonLinesLogger logger(out, LogLevel::kInfo);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&logger] {
      for (int i = 0; i < 200; ++i) logger.log({LogLevel::kInfo, "tick", "C-1", {{"n", "x"}}});
    });
  }
  for (auto& t : threads) t.join();
  const auto lines = lines_of(out.str());
  CHECK(lines.size() == 800);
  for (const auto& line : lines) CHECK(nlohmann::json::parse(line)["msg"] == "tick");
}

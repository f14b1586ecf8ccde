#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>

#include <nlohmann/json.hpp>

#include "escalator/engine/config.hpp"

using namespace escalator;
namespace fs = std::filesystem;

namespace {

// The message of a refused document; "" if it was accepted.
std::string refusal(std::string_view json) {
  const auto config = parse_config(json);
  if (config) return "";
  CHECK(config.error().code == ErrorCode::kInvalidArgument);
  return config.error().message;
}

// A directory of its own under the system's temporary directory, removed after the test.
class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = fs::temp_directory_path() / ("escalator-config-test-" + std::to_string(::getpid()) +
                                         "-" + std::to_string(++counter));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }
  fs::path write(const std::string& name, const std::string& text) const {
    const fs::path file = path_ / name;
    std::ofstream(file) << text;
    return file;
  }

 private:
  fs::path path_;
};

}  // namespace

TEST_CASE("EmptyDocumentGivesTheDefaults") {
  const auto config = parse_config("{}");
  REQUIRE(config.has_value());
  CHECK(*config == Config{});
  CHECK(config->data_dir == "./data");
  CHECK(config->log_level == LogLevel::kInfo);
  CHECK(config->limits == Limits{2, 16, 4000, 8, 100000});
  CHECK(config->secret_files.empty());
  CHECK(config->org_file.empty());
}

TEST_CASE("EveryKeyIsRead") {
  const auto config = parse_config(R"({
    "data_dir": "/var/lib/escalator",
    "log_level": "debug",
    "limits": {"worker_threads": 0, "shards": 4096, "max_text_bytes": 64, "max_co_handlers": 64,
               "cached_cases": 5000},
    "secret_files": {"wechat_token": "secrets/wechat.token",
                     "hotline_key": "/etc/escalator/hotline.key"},
    "org_file": "district.json"
  })");
  REQUIRE(config.has_value());
  CHECK(config->data_dir == "/var/lib/escalator");
  CHECK(config->log_level == LogLevel::kDebug);
  CHECK(config->limits == Limits{0, 4096, 64, 64, 5000});
  REQUIRE(config->secret_files.size() == 2);
  // parse_config keeps relative paths as written.
  CHECK(config->secret_files.at("wechat_token") == "secrets/wechat.token");
  CHECK(config->secret_files.at("hotline_key") == "/etc/escalator/hotline.key");
  CHECK(config->org_file == "district.json");
}

TEST_CASE("LimitsNotGivenKeepTheirDefaults") {
  const auto config = parse_config(R"({"limits": {"shards": 1}, "log_level": "error"})");
  REQUIRE(config.has_value());
  CHECK(config->limits == Limits{2, 1, 4000, 8, 100000});
  CHECK(config->log_level == LogLevel::kError);
  CHECK(config->data_dir == "./data");
}

TEST_CASE("UnknownKeyIsNamedWithTheKeysExpectedThere") {
  CHECK(refusal(R"({"limits": {"shardz": 16}})") ==
        "/limits/shardz: unknown key (expected worker_threads, shards, max_text_bytes, "
        "max_co_handlers, cached_cases or timers_at_once)");
  CHECK(refusal(R"({"datadir": "x"})") ==
        "/datadir: unknown key (expected data_dir, backup_dir, org_file, log_level, limits, calendar, secret_files, stats or http)");
}

TEST_CASE("EveryUnknownKeyIsReportedNotJustTheFirst") {
  CHECK(refusal(R"({"a": 1, "b": 2})") ==
        "/a: unknown key (expected data_dir, backup_dir, org_file, log_level, limits, calendar, secret_files, stats or http)\n"
        "/b: unknown key (expected data_dir, backup_dir, org_file, log_level, limits, calendar, secret_files, stats or http)");
}

TEST_CASE("KeysAreEscapedInThePointer") {
  CHECK(refusal(R"({"a/b~c": 1})") ==
        "/a~1b~0c: unknown key (expected data_dir, backup_dir, org_file, log_level, limits, calendar, secret_files, stats or http)");
}

TEST_CASE("WrongTypeSaysWhatWasExpectedAndWhatWasFound") {
  CHECK(refusal(R"({"limits": {"shards": "16"}})") ==
        R"(/limits/shards: must be an integer, but is "16")");
  CHECK(refusal(R"({"limits": {"worker_threads": 2.5}})") ==
        "/limits/worker_threads: must be an integer, but is 2.5");
  CHECK(refusal(R"({"limits": 16})") == "/limits: must be an object, but is 16");
  CHECK(refusal(R"({"data_dir": ["a"]})") == "/data_dir: must be a string, but is an array");
  CHECK(refusal(R"({"log_level": null})") == "/log_level: must be a string, but is null");
  CHECK(refusal(R"({"secret_files": {"db": 5}})") ==
        "/secret_files/db: must be a string, but is 5");
  CHECK(refusal(R"({"secret_files": "db.key"})") ==
        R"(/secret_files: must be an object, but is "db.key")");
}

TEST_CASE("DocumentThatIsNotAnObjectIsRefusedAsAWhole") {
  CHECK(refusal("[]") == "config: must be an object, but is an array");
  CHECK(refusal("42") == "config: must be an object, but is 42");
}

TEST_CASE("ValuesOutOfRangeNameTheBoundAndTheValue") {
  CHECK(refusal(R"({"limits": {"shards": 0}})") == "/limits/shards: must be at least 1, but is 0");
  CHECK(refusal(R"({"limits": {"shards": 4097}})") ==
        "/limits/shards: must be at most 4096, but is 4097");
  CHECK(refusal(R"({"limits": {"worker_threads": -1}})") ==
        "/limits/worker_threads: must be at least 0, but is -1");
  CHECK(refusal(R"({"limits": {"worker_threads": 65}})") ==
        "/limits/worker_threads: must be at most 64, but is 65");
  CHECK(refusal(R"({"limits": {"max_text_bytes": 63}})") ==
        "/limits/max_text_bytes: must be at least 64, but is 63");
  CHECK(refusal(R"({"limits": {"max_text_bytes": 1000001}})") ==
        "/limits/max_text_bytes: must be at most 1000000, but is 1000001");
  CHECK(refusal(R"({"limits": {"max_co_handlers": 65}})") ==
        "/limits/max_co_handlers: must be at most 64, but is 65");
  // Too large for any integer type: read as a number with a fraction.
  CHECK(refusal(R"({"limits": {"shards": 1e30}})") ==
        "/limits/shards: must be an integer, but is 1e+30");
}

TEST_CASE("UnknownLogLevelListsTheLevels") {
  CHECK(refusal(R"({"log_level": "verbose"})") ==
        R"(/log_level: must be one of debug, info, warn or error, but is "verbose")");
}

TEST_CASE("EmptyPathsAreRefused") {
  CHECK(refusal(R"({"data_dir": ""})") == "/data_dir: must not be empty");
  CHECK(refusal(R"({"secret_files": {"db": ""}})") == "/secret_files/db: must not be empty");
}

TEST_CASE("SeveralErrorsAreAllReportedOnePerLineByKey") {
  CHECK(refusal(R"({"log_level": "loud", "limits": {"shards": 0, "worker_threads": "2", "x": 1},
                    "data_dir": ""})") ==
        "/data_dir: must not be empty\n"
        "/limits/shards: must be at least 1, but is 0\n"
        "/limits/worker_threads: must be an integer, but is \"2\"\n"
        "/limits/x: unknown key (expected worker_threads, shards, max_text_bytes, "
        "max_co_handlers, cached_cases or timers_at_once)\n"
        "/log_level: must be one of debug, info, warn or error, but is \"loud\"");
}

TEST_CASE("LongValuesAreShortenedInMessages") {
  const std::string long_level(100, 'x');
  CHECK(refusal(R"({"log_level": ")" + long_level + R"("})") ==
        "/log_level: must be one of debug, info, warn or error, but is \"" +
            std::string(40, 'x') + "...\"");
}

TEST_CASE("InvalidJsonNamesTheByteAndTheProblem") {
  CHECK(refusal(R"({"data_dir": })") ==
        "config: invalid JSON at byte 14: line 1, column 14: syntax error while parsing value - "
        "unexpected '}'; expected '[', '{', or a literal");
  CHECK(refusal("{\n  \"limits\": {\"shards\": 16,}\n}") ==
        "config: invalid JSON at byte 29: line 2, column 27: syntax error while parsing object "
        "key - unexpected '}'; expected string literal");
  CHECK(refusal("").starts_with("config: invalid JSON at byte 1: "));
}

TEST_CASE("LoadConfigResolvesRelativePathsAgainstTheFilesDirectory") {
  const TempDir dir;
  const fs::path file = dir.write("escalator.json", R"({
    "data_dir": "./cases",
    "org_file": "org/district.csv",
    "secret_files": {"token": "secrets/../keys/token", "abs": "/etc/escalator/abs.key"}
  })");
  const auto config = load_config(file);
  REQUIRE(config.has_value());
  CHECK(config->data_dir == dir.path() / "cases");
  CHECK(config->org_file == dir.path() / "org/district.csv");
  CHECK(config->secret_files.at("token") == dir.path() / "keys/token");
  CHECK(config->secret_files.at("abs") == "/etc/escalator/abs.key");
}

TEST_CASE("LoadConfigKeepsAbsoluteDataDir") {
  const TempDir dir;
  const auto config = load_config(dir.write("c.json", R"({"data_dir": "/srv/escalator"})"));
  REQUIRE(config.has_value());
  CHECK(config->data_dir == "/srv/escalator");
}

TEST_CASE("LoadConfigOfAMissingFileIsNotFound") {
  const TempDir dir;
  const fs::path missing = dir.path() / "missing.json";
  const auto config = load_config(missing);
  REQUIRE_FALSE(config.has_value());
  CHECK(config.error() == Error{ErrorCode::kNotFound, "Cannot read configuration file " +
                                                          missing.string() +
                                                          ": No such file or directory"});
  CHECK(load_config(dir.path()).error() ==
        Error{ErrorCode::kNotFound,
              "Cannot read configuration file " + dir.path().string() + ": it is a directory"});
}

TEST_CASE("LoadConfigNamesTheFileBeforeEachValidationError") {
  const TempDir dir;
  const fs::path file = dir.write("bad.json", R"({"limits": {"shards": 0}})");
  const auto config = load_config(file);
  REQUIRE_FALSE(config.has_value());
  CHECK(config.error() == Error{ErrorCode::kInvalidArgument,
                                file.string() + ": /limits/shards: must be at least 1, but is 0"});
}

TEST_CASE("ShippedDefaultConfigIsValid") {
  const fs::path file = fs::path(ESCALATOR_SOURCE_DIR) / "escalator.json";
  const auto config = load_config(file);
  REQUIRE(config.has_value());
  CHECK(config->data_dir == fs::path(ESCALATOR_SOURCE_DIR) / "data");
  CHECK(config->log_level == LogLevel::kWarn);
  CHECK(config->limits == Limits{});
}

TEST_CASE("SchemaTextIsDraft07JsonClosedToUnknownKeys") {
  const auto schema = nlohmann::json::parse(config_schema(), nullptr, false);
  REQUIRE_FALSE(schema.is_discarded());
  CHECK(schema["$schema"] == "http://json-schema.org/draft-07/schema#");
  CHECK(schema["additionalProperties"] == false);
  CHECK(schema["properties"]["limits"]["additionalProperties"] == false);
  CHECK(schema["properties"]["limits"]["properties"]["shards"]["minimum"] == 1);
}

TEST_CASE("SchemaDefaultsMatchConfigDefaults") {
  const auto schema = nlohmann::json::parse(config_schema());
  const Config defaults;
  const auto& props = schema["properties"];
  CHECK(props["data_dir"]["default"] == defaults.data_dir.string());
  CHECK(props["log_level"]["default"] == std::string(to_string(defaults.log_level)));
  const auto& limits = props["limits"]["properties"];
  CHECK(limits["worker_threads"]["default"] == defaults.limits.worker_threads);
  CHECK(limits["shards"]["default"] == defaults.limits.shards);
  CHECK(limits["max_text_bytes"]["default"] == defaults.limits.max_text_bytes);
  CHECK(limits["max_co_handlers"]["default"] == defaults.limits.max_co_handlers);
  CHECK(limits["cached_cases"]["default"] == defaults.limits.cached_cases);
}

TEST_CASE("WorkingHoursAreConfiguredAsWindowsInOrder") {
  auto config = parse_config(R"({"calendar": {"working_hours": ["08:30-12:00", "14:00-17:30"]}})");
  REQUIRE_MESSAGE(config.has_value(), config.error().message);
  CHECK(format_working_hours(config->working_hours) == "08:30-12:00, 14:00-17:30");
  CHECK(parse_config("{}")->working_hours == default_working_hours());
  CHECK(format_working_hours(default_working_hours()) == "09:00-12:00, 13:30-17:30");

  CHECK(refusal(R"({"calendar": {"working_hours": ["08:30-12:00", "11:30-17:30"]}})") ==
        "/calendar/working_hours/1: '11:30-17:30' begins before the window before it ends; write the windows "
        "in order, apart");
  CHECK(refusal(R"({"calendar": {"working_hours": ["12:00-09:00"]}})") ==
        "/calendar/working_hours/0: '12:00-09:00' ends before it begins");
  CHECK(refusal(R"({"calendar": {"working_hours": ["9:00-12:00"]}})").starts_with("/calendar/working_hours/0: "));
  CHECK(refusal(R"({"calendar": {"working_hours": []}})").starts_with("/calendar/working_hours: "));
  CHECK(refusal(R"({"calendar": {"hours": []}})").starts_with("/calendar/hours: unknown key"));
}

TEST_CASE("TheDocumentedExampleWithEveryKeyIsAValidConfiguration") {
  std::ifstream in(ESCALATOR_SOURCE_DIR "/docs/configuration.md");
  std::stringstream text;
  text << in.rdbuf();
  const std::string page = text.str();
  const auto heading = page.find("Every key set:");
  REQUIRE(heading != std::string::npos);
  const auto begin = page.find("```json\n", heading) + 8;
  const auto end = page.find("```", begin);
  auto config = parse_config(page.substr(begin, end - begin));
  REQUIRE_MESSAGE(config.has_value(), config.error().message);
  CHECK(config->limits.cached_cases == 200000);
  CHECK(format_working_hours(config->working_hours) == "08:30-12:00, 14:00-17:30");
  CHECK(config->secret_files.size() == 2);
}

TEST_CASE("TheStatsFormulasAreReadAndAWeightOutOfRangeIsRefused") {
  const auto config = parse_config(R"({"stats": {"resolution_weights": {"partly_resolved": 0},
      "satisfaction_weights": {"basically_satisfied": 0.8}, "no_answer_is_valid": true, "merged_excluded": false,
      "repeat_window_days": 15}})");
  REQUIRE(config.has_value());
  stats::Formulas expected;
  expected.partly_resolved = 0;
  expected.basically_satisfied = 0.8;
  expected.no_answer_is_valid = true;
  expected.merged_excluded = false;
  expected.repeat_window_days = 15;
  CHECK(config->stats == expected);
  CHECK(parse_config("{}")->stats == stats::Formulas{});
  CHECK(refusal(R"({"stats": {"satisfaction_weights": {"satisfied": 2}}})").starts_with(
      "/stats/satisfaction_weights/satisfied: "));
  CHECK(refusal(R"({"stats": {"repeat_days": 7}})").starts_with("/stats/repeat_days: unknown key"));
  CHECK(refusal(R"({"stats": {"repeat_window_days": 0}})").starts_with("/stats/repeat_window_days: "));
  CHECK(refusal(R"({"stats": {"repeat_window_days": 366}})").starts_with("/stats/repeat_window_days: "));
}

TEST_CASE("ANumberBeyondADoubleOrAKeyGivenTwiceIsRefusedNamingWhere") {
  CHECK(refusal(R"({"limits": {"worker_threads": 1e999}})") ==
        "config: invalid JSON at byte 30: line 1, column 31: the number 1e999 is beyond the range of a double");
  CHECK(refusal("{\"limits\": {\"worker_threads\": 2,\n  \"worker_threads\": 4}}").find(
            "/limits/worker_threads: the key is given twice in one object") != std::string::npos);
  // The same key in two objects, or the same value twice, is no duplicate.
  CHECK(refusal(R"({"limits": {"worker_threads": 2}, "http": {"port": 2}})").find("twice") == std::string::npos);
}

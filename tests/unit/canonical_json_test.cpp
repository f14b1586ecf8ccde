#include <doctest/doctest.h>

#include "canonical_json.hpp"

using namespace escalator;
using Json = nlohmann::ordered_json;

namespace {

std::string canonical(const Json& value) {
  auto text = canonical_json(value);
  REQUIRE_MESSAGE(text.has_value(), text.error().message);
  return *text;
}

}  // namespace

TEST_CASE("MembersAreSortedByTheirNamesUtf16CodeUnitsAsRfc8785Shows") {
  // RFC 8785 §3.2.3's example: byte order would put U+FB33 before U+1F600.
  const Json value = Json::parse(R"({"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh",
      "1":"One","\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis"})");
  CHECK(canonical(value) ==
        "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"\u00f6\":\"Latin Small Letter O With "
        "Diaeresis\",\"\u20ac\":\"Euro Sign\",\"\U0001F600\":\"Emoji: Grinning Face\",\"\uFB33\":\"Hebrew Letter Dalet With "
        "Dagesh\"}");
}

TEST_CASE("StringsEscapeOnlyWhatJsonRequiresAndControlsInLowercaseHex") {
  const Json value = {{"s", std::string("\"\\/\b\f\n\r\t\x0f\x1f\x7f中文")}};
  CHECK(canonical(value) == R"({"s":"\"\\/\b\f\n\r\t\u000f\u001f)" "\x7f" R"(中文"})");
}

TEST_CASE("NestedValuesAreWrittenWithoutWhitespaceAndIntegersAsDecimals") {
  const Json value = Json::parse(R"({ "b" : [ 3, -7, true, null, { "z":1, "a":18446744073709551615 } ], "a" : {} })");
  CHECK(canonical(value) == R"({"a":{},"b":[3,-7,true,null,{"a":18446744073709551615,"z":1}]})");
}

TEST_CASE("ANumberThatIsNotAnIntegerIsRefusedWithItsPointer") {
  const Json value = Json::parse(R"({"a":{"b/c":[1,2.5]}})");
  const auto text = canonical_json(value);
  REQUIRE_FALSE(text.has_value());
  CHECK(text.error().code == ErrorCode::kInvalidArgument);
  CHECK(text.error().message == "canonical JSON: a number that is not an integer at '/a/b~1c/1'");
}

TEST_CASE("TextThatIsNotUtf8IsRefused") {
  const Json value = {{"s", std::string("\xc3\x28")}};
  const auto text = canonical_json(value);
  REQUIRE_FALSE(text.has_value());
  CHECK(text.error().message == "canonical JSON: a string that is not UTF-8 at '/s'");
}

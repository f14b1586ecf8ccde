// json_text.cpp: JSON written straight as text, and the UTF-8 check intake uses.
#include "json_text.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <random>
#include <string>

namespace escalator {
namespace {

// nlohmann's strict serializer is the reference: it throws on a bad sequence.
bool nlohmann_accepts(const std::string& text) {
  try {
    (void)nlohmann::json(text).dump();
    return true;
  } catch (const nlohmann::json::exception&) {
    return false;
  }
}

}  // namespace

TEST_CASE("IsUtf8AgreesWithNlohmannOnEveryBoundary") {
  // Each first byte with second bytes around the edges RFC 3629 draws
  // (overlong E0/F0, surrogates ED, above U+10FFFF F4), then truncated.
  for (int first = 0x80; first <= 0xFF; ++first) {
    for (int second : {0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0}) {
      for (const std::string tail : {"", "\x80", "\x80\x80", "\xbf\xbf\xbf", "a"}) {
        const std::string text = std::string{char(first), char(second)} + tail;
        CAPTURE(first);
        CAPTURE(second);
        CHECK(is_utf8(text) == nlohmann_accepts(text));
        CHECK(is_utf8(text.substr(0, 1)) == nlohmann_accepts(text.substr(0, 1)));
      }
    }
  }
  CHECK(is_utf8("张三 13800000000 🚰"));
  CHECK_FALSE(is_utf8("\xed\xa0\x80"));  // a surrogate
  CHECK_FALSE(is_utf8("\xc0\xaf"));      // an overlong '/'
}

TEST_CASE("IsUtf8FindsABadByteAtAnyOffsetOfALongText") {
  // Long ASCII runs are checked eight bytes at a time: a bad byte or a cut
  // character must be found wherever it falls in or across those eight.
  const std::string ascii = "{\"actor\":\"staff-9\",\"seq\":12,\"type\":\"CaseOpened\"}";
  for (std::size_t at = 0; at <= ascii.size(); ++at) {
    CAPTURE(at);
    std::string text = ascii;
    CHECK(is_utf8(text.insert(at, "水")));
    text = ascii;
    CHECK_FALSE(is_utf8(text.insert(at, "\xff")));
    text = ascii;
    CHECK_FALSE(is_utf8(text.insert(at, "\xe6\xb0")));  // 水 without its last byte
  }
}

TEST_CASE("IsUtf8AgreesWithNlohmannOnRandomBytes") {
  std::mt19937 random(20251008);
  std::uniform_int_distribution<int> byte(0, 255), length(0, 12);
  int valid = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    for (int n = length(random); n > 0; --n) {
      // Mostly high bytes, where the rules are.
      const int b = byte(random);
      text.push_back(char(b < 64 ? b + 0x80 : b));
    }
    CAPTURE(text);
    const bool accepted = nlohmann_accepts(text);
    REQUIRE(is_utf8(text) == accepted);
    valid += accepted;
  }
  CHECK(valid > 100);  // the sample reaches both answers
}

TEST_CASE("JsonTextNestsObjectsAndArraysWithCommasWhereJsonNeedsThem") {
  std::string out;
  JsonText text(out);
  text.begin_object();
  text.key("a");
  text.begin_array();
  text.value(std::uint64_t{18446744073709551615u});
  text.begin_object();
  text.end_object();
  text.value(std::int64_t{-5});
  text.begin_array();
  text.end_array();
  text.end_array();
  text.key("b");
  text.value(false);
  text.key("c");
  text.value("x\"y");
  text.end_object();
  CHECK(out == R"({"a":[18446744073709551615,{},-5,[]],"b":false,"c":"x\"y"})");
  CHECK(nlohmann::json::parse(out)["a"][0] == 18446744073709551615u);
  CHECK(text.utf8());
  text.value("\xff");
  CHECK_FALSE(text.utf8());
}

}  // namespace escalator

#include <doctest/doctest.h>

#include <string>

#include "sha256.hpp"

using namespace escalator;

namespace {

// The FIPS 180-2 example: SHA-256("abc").
constexpr std::string_view kAbcDigest =
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

}  // namespace

TEST_CASE("ADigestIsWrittenAndReadBackAsLowercaseHex") {
  const auto digest = sha256("abc");
  CHECK(to_hex(digest) == kAbcDigest);
  CHECK(digest_from_lowercase_hex(kAbcDigest) == digest);
  CHECK(spells_digest(kAbcDigest, digest));
  CHECK_FALSE(spells_digest(kAbcDigest.substr(1), digest));
  std::string other(kAbcDigest);
  other[63] = 'c';
  CHECK_FALSE(spells_digest(other, digest));
}

TEST_CASE("OnlySixtyFourLowercaseHexDigitsSpellADigest") {
  // Every byte value at a place in each eight-byte group and at both ends,
  // judged against the table the digest reader uses.
  CHECK(is_lowercase_hex_digest(kAbcDigest));
  for (const std::size_t at : {0, 5, 8, 31, 56, 63}) {
    for (int byte = 0; byte < 256; ++byte) {
      std::string hex(kAbcDigest);
      hex[at] = static_cast<char>(byte);
      const bool digit = (byte >= '0' && byte <= '9') || (byte >= 'a' && byte <= 'f');
      CAPTURE(at);
      CAPTURE(byte);
      CHECK(is_lowercase_hex_digest(hex) == digit);
      CHECK(digest_from_lowercase_hex(hex).has_value() == digit);
    }
  }
  CHECK_FALSE(is_lowercase_hex_digest(kAbcDigest.substr(1)));
  CHECK_FALSE(is_lowercase_hex_digest(std::string(kAbcDigest) + "0"));
  CHECK_FALSE(is_lowercase_hex_digest(""));
}

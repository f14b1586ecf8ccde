// SHA-256 through OpenSSL, for the hash chain (docs/history.md) and for
// naming workflow content. The algorithm is fetched from OpenSSL once, not
// once per digest, which is most of the cost of hashing a short record.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace escalator {

using Sha256Digest = std::array<std::uint8_t, 32>;

// Digests bytes fed in pieces. Not thread-safe; each thread uses its own.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  Sha256& update(std::string_view bytes);
  Sha256& update(const Sha256Digest& digest);
  // The digest of everything fed since construction or the last finish().
  Sha256Digest finish();

 private:
  struct Context;
  Context* context_;
};

Sha256Digest sha256(std::string_view bytes);
// Lowercase hex, 64 characters.
std::string to_hex(const Sha256Digest& digest);
// The digest 64 hex digits spell (either case); none for anything else.
std::optional<Sha256Digest> digest_from_hex(std::string_view hex);
// Only the lowercase spelling, which to_hex writes and the chain stores: the
// digest whose to_hex is `hex`, or none.
std::optional<Sha256Digest> digest_from_lowercase_hex(std::string_view hex);
// Whether `hex` is 64 lowercase hex digits, as to_hex writes, without reading
// the digest they spell.
bool is_lowercase_hex_digest(std::string_view hex);
// Whether `hex` is to_hex(digest), without building it as a string.
bool spells_digest(std::string_view hex, const Sha256Digest& digest);

}  // namespace escalator

#include "sha256.hpp"

#include <openssl/evp.h>

#include <cstring>
#include <new>

namespace escalator {
namespace {

const EVP_MD* sha256_algorithm() {
  static EVP_MD* const algorithm = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return algorithm;
}

}  // namespace

struct Sha256::Context {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
};

Sha256::Sha256() : context_(new Context) {
  if (context_->ctx == nullptr ||
      EVP_DigestInit_ex(context_->ctx, sha256_algorithm(), nullptr) != 1) {
    EVP_MD_CTX_free(context_->ctx);
    delete context_;
    throw std::bad_alloc();
  }
}

Sha256::~Sha256() {
  EVP_MD_CTX_free(context_->ctx);
  delete context_;
}

Sha256& Sha256::update(std::string_view bytes) {
  EVP_DigestUpdate(context_->ctx, bytes.data(), bytes.size());
  return *this;
}

Sha256& Sha256::update(const Sha256Digest& digest) {
  EVP_DigestUpdate(context_->ctx, digest.data(), digest.size());
  return *this;
}

Sha256Digest Sha256::finish() {
  Sha256Digest digest{};
  unsigned int size = 0;
  EVP_DigestFinal_ex(context_->ctx, digest.data(), &size);
  EVP_DigestInit_ex(context_->ctx, sha256_algorithm(), nullptr);
  return digest;
}

Sha256Digest sha256(std::string_view bytes) {
  thread_local Sha256 hasher;
  return hasher.update(bytes).finish();
}

namespace {

// Each byte's two digits, so a digest is written with a copy per byte.
constexpr auto kHexPairs = [] {
  constexpr char kHex[] = "0123456789abcdef";
  std::array<std::array<char, 2>, 256> pairs{};
  for (int byte = 0; byte < 256; ++byte) pairs[byte] = {kHex[byte >> 4], kHex[byte & 0xf]};
  return pairs;
}();

void write_hex(const Sha256Digest& digest, char* out) {
  for (const auto byte : digest) {
    std::memcpy(out, kHexPairs[byte].data(), 2);
    out += 2;
  }
}

}  // namespace

std::string to_hex(const Sha256Digest& digest) {
  std::string hex(64, '\0');
  write_hex(digest, hex.data());
  return hex;
}

bool spells_digest(std::string_view hex, const Sha256Digest& digest) {
  std::array<char, 64> written;
  write_hex(digest, written.data());
  return hex.size() == written.size() &&
         std::memcmp(hex.data(), written.data(), written.size()) == 0;
}

bool is_lowercase_hex_digest(std::string_view hex) {
  if (hex.size() != 64) return false;
  // Eight characters at a time. For a byte below 0x80, byte + (0x80 - c) has
  // its high bit set exactly when byte >= c, and carries into no other byte.
  constexpr std::uint64_t kEachByte = 0x0101010101010101;
  constexpr std::uint64_t kHighBits = 0x80 * kEachByte;
  const auto at_least = [](std::uint64_t bytes, unsigned c) {
    return (bytes + (0x80 - c) * kEachByte) & kHighBits;
  };
  std::uint64_t wrong = 0;
  for (std::size_t i = 0; i < hex.size(); i += 8) {
    std::uint64_t bytes = 0;
    std::memcpy(&bytes, hex.data() + i, sizeof bytes);
    const auto digit = at_least(bytes, '0') & ~at_least(bytes, '9' + 1);
    const auto letter = at_least(bytes, 'a') & ~at_least(bytes, 'f' + 1);
    // A byte at or above 0x80 is wrong whatever the sums made of it.
    wrong |= (bytes & kHighBits) | ((digit | letter) ^ kHighBits);
  }
  return wrong == 0;
}

namespace {

// -1 for a byte that is no hex digit; one table per accepted alphabet, so a
// digest is read with a load per character rather than a chain of compares.
constexpr std::array<std::int8_t, 256> nibbles(bool upper_too) {
  std::array<std::int8_t, 256> table{};
  for (auto& entry : table) entry = -1;
  for (int c = '0'; c <= '9'; ++c) table[c] = static_cast<std::int8_t>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c) table[c] = static_cast<std::int8_t>(c - 'a' + 10);
  if (upper_too) {
    for (int c = 'A'; c <= 'F'; ++c) table[c] = static_cast<std::int8_t>(c - 'A' + 10);
  }
  return table;
}
constexpr auto kAnyCase = nibbles(true);
constexpr auto kLowerCase = nibbles(false);

std::optional<Sha256Digest> digest_from(std::string_view hex,
                                        const std::array<std::int8_t, 256>& table) {
  if (hex.size() != 64) return std::nullopt;
  Sha256Digest digest{};
  int invalid = 0;  // one test after the loop rather than a branch per digit
  for (std::size_t i = 0; i < 32; ++i) {
    const int high = table[static_cast<unsigned char>(hex[2 * i])];
    const int low = table[static_cast<unsigned char>(hex[2 * i + 1])];
    invalid |= high | low;
    digest[i] = static_cast<std::uint8_t>(high << 4 | low);
  }
  if (invalid < 0) return std::nullopt;
  return digest;
}

}  // namespace

std::optional<Sha256Digest> digest_from_hex(std::string_view hex) {
  return digest_from(hex, kAnyCase);
}

std::optional<Sha256Digest> digest_from_lowercase_hex(std::string_view hex) {
  return digest_from(hex, kLowerCase);
}

}  // namespace escalator

#include "escalator/outbox/webhook_signature.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <optional>
#include <stdexcept>

namespace escalator::outbox {
namespace {

constexpr std::string_view kPrefix = "whsec_";

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

// Standard base64 with its padding; nullopt for anything else.
std::optional<std::string> from_base64(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) return std::nullopt;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool symbol = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    const bool padding = c == '=' && i + 2 >= text.size() && (i + 1 == text.size() || text.back() == '=');
    if (!symbol && !padding) return std::nullopt;
  }
  std::string out(3 * text.size() / 4, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  // EVP_DecodeBlock counts the padding as zero bytes.
  std::size_t length = static_cast<std::size_t>(n);
  for (std::size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) --length;
  out.resize(length);
  return out;
}

}  // namespace

Result<WebhookSecret> WebhookSecret::parse(std::string_view text) {
  if (!text.starts_with(kPrefix)) {
    return fail(ErrorCode::kInvalidArgument, "a webhook secret begins with whsec_");
  }
  auto key = from_base64(text.substr(kPrefix.size()));
  if (!key) return fail(ErrorCode::kInvalidArgument, "a webhook secret is whsec_ and base64, and this is not base64");
  if (key->size() < 24 || key->size() > 64) {
    return fail(ErrorCode::kInvalidArgument,
                "a webhook secret's key is 24 to 64 bytes, and this one is " + std::to_string(key->size()));
  }
  return WebhookSecret{std::move(*key)};
}

WebhookSecret WebhookSecret::generate() {
  std::string key(32, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), static_cast<int>(key.size())) != 1) {
    throw std::runtime_error("OpenSSL RAND_bytes failed");
  }
  return WebhookSecret{std::move(key)};
}

std::string WebhookSecret::text() const { return std::string(kPrefix) + base64(key); }

std::string webhook_signature(const WebhookSecret& secret, std::string_view id, std::int64_t timestamp,
                              std::string_view body) {
  std::string signed_content(id);
  signed_content += '.';
  signed_content += std::to_string(timestamp);
  signed_content += '.';
  signed_content += body;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.key.data(), static_cast<int>(secret.key.size()),
       reinterpret_cast<const unsigned char*>(signed_content.data()), signed_content.size(), mac, &length);
  return "v1," + base64(std::string_view(reinterpret_cast<const char*>(mac), length));
}

std::string webhook_signature_header(const std::vector<WebhookSecret>& secrets, std::string_view id,
                                     std::int64_t timestamp, std::string_view body) {
  std::string header;
  for (const auto& secret : secrets) {
    if (!header.empty()) header += ' ';
    header += webhook_signature(secret, id, timestamp, body);
  }
  return header;
}

}  // namespace escalator::outbox

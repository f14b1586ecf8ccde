// Standard Webhooks signatures (https://www.standardwebhooks.com, docs/webhooks.md):
// each delivery carries webhook-id, webhook-timestamp and webhook-signature,
// the last "v1," + base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")) for each
// secret in force, space-separated while a secret is being rotated.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "escalator/util/result.hpp"

namespace escalator::outbox {

// A signing secret as subscribers are given it: "whsec_" + base64 of the key
// (24 to 64 bytes). kInvalidArgument naming what is wrong otherwise.
struct WebhookSecret {
  std::string key;  // the bytes

  [[nodiscard]] static Result<WebhookSecret> parse(std::string_view text);
  // A new secret of 32 random bytes.
  static WebhookSecret generate();
  std::string text() const;  // "whsec_…"
};

// "v1,<base64>" for one secret.
std::string webhook_signature(const WebhookSecret& secret, std::string_view id, std::int64_t timestamp,
                              std::string_view body);
// The webhook-signature header: one signature per secret, space-separated.
std::string webhook_signature_header(const std::vector<WebhookSecret>& secrets, std::string_view id,
                                     std::int64_t timestamp, std::string_view body);

}  // namespace escalator::outbox

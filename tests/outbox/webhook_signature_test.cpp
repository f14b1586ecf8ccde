// Standard Webhooks signatures (docs/webhooks.md): the specification's own
// vector, key rotation, secrets refused, and the library of the
// specification's authors as an oracle over random deliveries.
#include <doctest/doctest.h>

#include <ctime>
#include <fstream>
#include <random>

#include <nlohmann/json.hpp>

#include "escalator/outbox/webhook_signature.hpp"
#include "node_oracle.hpp"
#include "store_support.hpp"

namespace escalator {
namespace {

using outbox::WebhookSecret;

TEST_CASE("the Standard Webhooks reference vector signs as the specification says") {
  const auto secret = WebhookSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  REQUIRE(secret);
  CHECK(outbox::webhook_signature(*secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, R"({"test": 2432232314})") ==
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  // A changed byte anywhere changes it.
  CHECK(outbox::webhook_signature(*secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265331, R"({"test": 2432232314})") !=
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  CHECK(secret->text() == "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
}

TEST_CASE("while a secret is rotated every delivery carries a signature for each, space-separated") {
  const auto old_secret = *WebhookSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  const auto new_secret = WebhookSecret::generate();
  const auto header = outbox::webhook_signature_header({new_secret, old_secret}, "msg_1", 1614265330, "{}");
  CHECK(header == outbox::webhook_signature(new_secret, "msg_1", 1614265330, "{}") + " " +
                      outbox::webhook_signature(old_secret, "msg_1", 1614265330, "{}"));
}

TEST_CASE("a secret that is not whsec_ and base64 of 24 to 64 bytes is refused") {
  CHECK(WebhookSecret::parse("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").error().message == "a webhook secret begins with whsec_");
  CHECK(!WebhookSecret::parse("whsec_not base64!"));
  CHECK(!WebhookSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS"));  // not a multiple of four
  CHECK(WebhookSecret::parse("whsec_c2hvcnQ=").error().message ==
        "a webhook secret's key is 24 to 64 bytes, and this one is 5");
  const auto made = WebhookSecret::generate();
  REQUIRE(made.key.size() == 32);
  const auto again = WebhookSecret::parse(made.text());
  REQUIRE(again);
  CHECK(again->key == made.key);
}

TEST_CASE("Standard Webhooks' own library makes the same signatures and accepts every header") {
  testing::TempDir dir;
  std::mt19937 random(20261208);
  const auto now = static_cast<std::int64_t>(std::time(nullptr));  // the library refuses a stale timestamp
  const std::vector<std::string> words = {"CaseDispatched", "已派单", "阳光花园", "\"quoted\"", "\\", "\n", " ", "{}", "漏水"};
  nlohmann::json deliveries = nlohmann::json::array();
  for (int i = 0; i < 200; ++i) {
    std::vector<WebhookSecret> secrets(1 + i % 3);
    for (auto& s : secrets) s = WebhookSecret::generate();
    std::string body;
    for (int w = std::uniform_int_distribution<int>(0, 12)(random); w > 0; --w) {
      body += words[std::uniform_int_distribution<std::size_t>(0, words.size() - 1)(random)];
    }
    const std::string id = "msg_" + std::to_string(random());
    nlohmann::json texts = nlohmann::json::array();
    for (const auto& s : secrets) texts.push_back(s.text());
    deliveries.push_back({{"secrets", texts},
                          {"id", id},
                          {"timestamp", now},
                          {"body", body},
                          {"header", outbox::webhook_signature_header(secrets, id, now, body)}});
  }
  const auto file = dir.path() / "deliveries.json";
  std::ofstream(file) << deliveries.dump();
  const auto said = testing::run_node_oracle("standardwebhooks_oracle.cjs", file);
  CHECK_MESSAGE(said.status == 0, said.text);
  CHECK(said.text.find("200 deliveries checked, 0 failures") != std::string::npos);
}

}  // namespace
}  // namespace escalator

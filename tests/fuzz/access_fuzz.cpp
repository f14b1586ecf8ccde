// libFuzzer target: what access control reads from callers and operators —
// the keys file, a jurisdiction, an Authorization header, X-Forwarded-For,
// trusted proxy entries — and the masks it puts on residents' text.
#include <string>

#include "escalator/access/abuse.hpp"
#include "escalator/access/keys.hpp"
#include "escalator/access/masking.hpp"
#include "reader_fuzz.hpp"

using namespace escalator::access;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = escalator::fuzz::text_of(data, size);
  (void)parse_keys(text, "keys.json");
  (void)parse_jurisdiction(text);
  (void)parse_role(text);
  static const KeyRing ring = [] {
    auto key = make_key("fuzz", Role::kAuditor, {}, std::nullopt, "2025-11-11T09:00:00+08:00");
    return KeyRing({key->entry});
  }();
  if (ring.authenticate(text) != nullptr) __builtin_trap();  // no input guesses a random key
  static const auto proxies = *AddressSet::parse({"127.0.0.1", "10.0.0.0/8", "::1"});
  const auto client = client_address("127.0.0.1", text, proxies);
  if (client.empty()) __builtin_trap();  // a request always comes from somewhere
  if (auto set = AddressSet::parse({std::string(text)})) (void)set->contains("192.0.2.1");
  // Masks star characters in place: a phone and an address keep their length.
  if (mask_phone(text).size() != text.size()) __builtin_trap();
  (void)mask_name(text);
  (void)mask_account(text);
  if (mask_address(text).size() != text.size()) __builtin_trap();
  (void)mask_text(text);
  return 0;
}

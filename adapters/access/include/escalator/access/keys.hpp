// API keys (docs/access.md, "Keys"): who a caller is, the role it plays and
// where it may look. The keys file holds each key's salted SHA-256, never the
// key; the key itself is shown once, when `escalator keys add` makes it.
//
// A key reads "esk_<id>_<secret>": the id finds the entry, the secret (32
// random bytes, base64url) is checked against its hash in constant time.
// Thirty-two random bytes cannot be guessed, so one salted hash suffices
// where a password would need a slow one (docs/decisions.md).
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "escalator/model/case.hpp"
#include "escalator/util/result.hpp"

namespace escalator::access {

// What a caller does (docs/access.md, "Roles").
enum class Role {
  kIntake,         // a channel's system: opens cases for its channel, relays the resident's ratings and urges
  kHandler,        // a unit's staff: acts on the cases its unit holds
  kDispatcher,     // the 12345 centre or a street's dispatch desk: routes, closes, erases
  kSupervisor,     // reads and urges within its jurisdiction, decides extensions
  kAdministrator,  // workflows, directory, calendar, backups
  kAuditor,        // reads everything, changes nothing
};
inline constexpr Role kAllRoles[] = {Role::kIntake,        Role::kHandler,  Role::kDispatcher,
                                     Role::kSupervisor,    Role::kAdministrator, Role::kAuditor};
std::string_view to_string(Role role);
[[nodiscard]] Result<Role> parse_role(std::string_view text);

// Where a key may look: everywhere, a place of the directory and what lies
// under it, or a unit (the place it sits at, and the cases it holds).
struct Jurisdiction {
  enum class Kind { kEverywhere, kPlace, kUnit };
  Kind kind = Kind::kEverywhere;
  std::string id;  // the place's or the unit's id

  // "*", "place:jiyang", "unit:yangguang-garden-property".
  std::string text() const;
  friend bool operator==(const Jurisdiction&, const Jurisdiction&) = default;
};
[[nodiscard]] Result<Jurisdiction> parse_jurisdiction(std::string_view text);

struct ApiKey {
  std::string id;    // 12 lower-case hex digits
  std::string name;  // who holds it: "阳光花园物业服务中心"
  Role role = Role::kAuditor;
  Jurisdiction jurisdiction;
  // The one channel an intake key opens cases for; empty for other roles.
  std::optional<Channel> channel;
  std::string salt;  // hex of 16 random bytes
  std::string hash;  // hex of SHA-256(salt bytes ‖ secret)
  std::string created_at;  // RFC 3339
  std::string revoked_at;  // RFC 3339; empty while the key works

  bool revoked() const { return !revoked_at.empty(); }
};

// A new key: the entry the file keeps and the key's text, which nothing keeps.
struct NewKey {
  ApiKey entry;
  std::string text;  // "esk_<id>_<secret>"
};
// A new key with fresh random id, salt and secret. kInvalidArgument when the
// role and jurisdiction do not go together (a handler acts for a unit; an
// intake key names its channel, and only an intake key does).
[[nodiscard]] Result<NewKey> make_key(std::string name, Role role, Jurisdiction jurisdiction,
                                      std::optional<Channel> channel, std::string created_at);

// The keys file as read: every problem names the key by its JSON pointer.
[[nodiscard]] Result<std::vector<ApiKey>> parse_keys(std::string_view text, const std::string& file);
[[nodiscard]] Result<std::vector<ApiKey>> read_keys_file(const std::filesystem::path& file);
std::string keys_json(const std::vector<ApiKey>& keys);
// Writes the file whole through a temporary file and a rename, so a reader
// never sees half of it; the file is readable by its owner only.
[[nodiscard]] Result<void> write_keys_file(const std::filesystem::path& file, const std::vector<ApiKey>& keys);

// The keys the service checks callers against. Immutable: a reload makes a
// new ring (KeyRing::load) and swaps it in whole.
class KeyRing {
 public:
  explicit KeyRing(std::vector<ApiKey> keys) : keys_(std::move(keys)) {}

  // The key the header's "Bearer esk_…" names, when it is one of the ring's
  // and not revoked; null otherwise, the same for every reason, so that a
  // caller learns nothing about which keys exist.
  const ApiKey* authenticate(std::string_view authorization_header) const;
  const std::vector<ApiKey>& keys() const { return keys_; }

 private:
  std::vector<ApiKey> keys_;
};

}  // namespace escalator::access

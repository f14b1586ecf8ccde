#include "escalator/access/keys.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace escalator::access {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kPrefix = "esk_";
constexpr std::size_t kIdBytes = 6;       // 12 hex digits
constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kSecretBytes = 32;  // 43 base64url characters

std::string hex_of(const unsigned char* bytes, std::size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * n);
  for (std::size_t i = 0; i < n; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 15];
  }
  return out;
}

std::optional<std::string> bytes_of_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  const auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::string out;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = digit(hex[i]), lo = digit(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
  }
  return out;
}

std::string random_bytes(std::size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    throw std::runtime_error("OpenSSL RAND_bytes failed");
  }
  return out;
}

std::string base64url(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
  return out;
}

std::array<unsigned char, 32> salted_hash(std::string_view salt, std::string_view secret) {
  std::string input(salt);
  input += secret;
  std::array<unsigned char, 32> digest{};
  unsigned int length = 0;
  EVP_Digest(input.data(), input.size(), digest.data(), &length, EVP_sha256(), nullptr);
  OPENSSL_cleanse(input.data(), input.size());
  return digest;
}

bool is_hex(std::string_view text, std::size_t digits) {
  return text.size() == digits &&
         std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

Result<void> check_pairing(Role role, const Jurisdiction& jurisdiction, const std::optional<Channel>& channel) {
  if (role == Role::kHandler && jurisdiction.kind != Jurisdiction::Kind::kUnit) {
    return fail(ErrorCode::kInvalidArgument,
                "jurisdiction: a handler acts for one unit, so its jurisdiction is unit:<id>, but it is '" +
                    jurisdiction.text() + "'");
  }
  if (role == Role::kIntake && !channel) {
    return fail(ErrorCode::kInvalidArgument, "channel: an intake key opens cases for one channel; name it");
  }
  if (role != Role::kIntake && channel) {
    return fail(ErrorCode::kInvalidArgument, "channel: only an intake key names a channel, and this key is " +
                                                 std::string(to_string(role)));
  }
  return {};
}

}  // namespace

std::string_view to_string(Role role) {
  switch (role) {
    case Role::kIntake: return "intake";
    case Role::kHandler: return "handler";
    case Role::kDispatcher: return "dispatcher";
    case Role::kSupervisor: return "supervisor";
    case Role::kAdministrator: return "administrator";
    case Role::kAuditor: return "auditor";
  }
  return "auditor";
}

Result<Role> parse_role(std::string_view text) {
  for (Role role : kAllRoles) {
    if (to_string(role) == text) return role;
  }
  return fail(ErrorCode::kInvalidArgument,
              "expected intake, handler, dispatcher, supervisor, administrator or auditor, but got '" +
                  std::string(text) + "'");
}

std::string Jurisdiction::text() const {
  switch (kind) {
    case Kind::kEverywhere: return "*";
    case Kind::kPlace: return "place:" + id;
    case Kind::kUnit: return "unit:" + id;
  }
  return "*";
}

Result<Jurisdiction> parse_jurisdiction(std::string_view text) {
  if (text == "*") return Jurisdiction{};
  for (auto [prefix, kind] : {std::pair{std::string_view("place:"), Jurisdiction::Kind::kPlace},
                              std::pair{std::string_view("unit:"), Jurisdiction::Kind::kUnit}}) {
    if (text.starts_with(prefix) && text.size() > prefix.size() && text.size() <= prefix.size() + 100) {
      return Jurisdiction{kind, std::string(text.substr(prefix.size()))};
    }
  }
  return fail(ErrorCode::kInvalidArgument,
              "expected * (everywhere), place:<place id> or unit:<unit id>, but got '" + std::string(text) + "'");
}

Result<NewKey> make_key(std::string name, Role role, Jurisdiction jurisdiction, std::optional<Channel> channel,
                        std::string created_at) {
  if (name.empty()) return fail(ErrorCode::kInvalidArgument, "name: say who holds the key");
  if (auto paired = check_pairing(role, jurisdiction, channel); !paired) return tl::unexpected(paired.error());
  NewKey made;
  const auto id = random_bytes(kIdBytes);
  const auto salt = random_bytes(kSaltBytes);
  const auto secret = base64url(random_bytes(kSecretBytes));
  const auto digest = salted_hash(salt, secret);
  made.entry.id = hex_of(reinterpret_cast<const unsigned char*>(id.data()), id.size());
  made.entry.name = std::move(name);
  made.entry.role = role;
  made.entry.jurisdiction = std::move(jurisdiction);
  made.entry.channel = channel;
  made.entry.salt = hex_of(reinterpret_cast<const unsigned char*>(salt.data()), salt.size());
  made.entry.hash = hex_of(digest.data(), digest.size());
  made.entry.created_at = std::move(created_at);
  made.text = std::string(kPrefix) + made.entry.id + "_" + secret;
  return made;
}

Result<std::vector<ApiKey>> parse_keys(std::string_view text, const std::string& file) {
  Json json = Json::parse(text, nullptr, false);
  const auto refuse = [&](const std::string& where, const std::string& why) {
    return fail(ErrorCode::kInvalidArgument, file + ": " + where + ": " + why);
  };
  if (json.is_discarded()) return refuse("/", "not JSON");
  if (!json.is_object() || !json.contains("keys") || !json["keys"].is_array())
    return refuse("/keys", "expected an object with an array \"keys\"");
  for (const auto& [name, value] : json.items()) {
    if (name != "keys") return refuse("/" + name, "unknown member");
  }
  std::vector<ApiKey> keys;
  const auto& list = json["keys"];
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string at = "/keys/" + std::to_string(i);
    const auto& entry = list[i];
    if (!entry.is_object()) return refuse(at, "expected an object");
    static constexpr std::string_view kMembers[] = {"id",   "name", "role",       "jurisdiction", "channel",
                                                    "salt", "hash", "created_at", "revoked_at"};
    for (const auto& [name, value] : entry.items()) {
      if (std::find(std::begin(kMembers), std::end(kMembers), name) == std::end(kMembers))
        return refuse(at + "/" + name, "unknown member");
      if (!value.is_string()) return refuse(at + "/" + name, "expected a string");
    }
    const auto member = [&](const char* name) { return entry.value(name, std::string()); };
    ApiKey key;
    key.id = member("id");
    if (!is_hex(key.id, 2 * kIdBytes)) return refuse(at + "/id", "expected 12 lower-case hex digits");
    if (std::any_of(keys.begin(), keys.end(), [&](const ApiKey& k) { return k.id == key.id; }))
      return refuse(at + "/id", "key " + key.id + " is listed twice");
    key.name = member("name");
    if (key.name.empty()) return refuse(at + "/name", "say who holds the key");
    auto role = parse_role(member("role"));
    if (!role) return refuse(at + "/role", role.error().message);
    key.role = *role;
    auto jurisdiction = parse_jurisdiction(member("jurisdiction"));
    if (!jurisdiction) return refuse(at + "/jurisdiction", jurisdiction.error().message);
    key.jurisdiction = *jurisdiction;
    if (entry.contains("channel")) {
      auto channel = parse_channel(member("channel"));
      if (!channel) return refuse(at + "/channel", channel.error().message);
      key.channel = *channel;
    }
    if (auto paired = check_pairing(key.role, key.jurisdiction, key.channel); !paired)
      return refuse(at, paired.error().message);
    key.salt = member("salt");
    if (!is_hex(key.salt, 2 * kSaltBytes)) return refuse(at + "/salt", "expected 32 lower-case hex digits");
    key.hash = member("hash");
    if (!is_hex(key.hash, 64)) return refuse(at + "/hash", "expected 64 lower-case hex digits (SHA-256)");
    key.created_at = member("created_at");
    key.revoked_at = member("revoked_at");
    keys.push_back(std::move(key));
  }
  return keys;
}

Result<std::vector<ApiKey>> read_keys_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail(ErrorCode::kNotFound, file.string() + ": cannot read the keys file");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_keys(text.str(), file.string());
}

std::string keys_json(const std::vector<ApiKey>& keys) {
  Json list = Json::array();
  for (const ApiKey& key : keys) {
    Json entry;
    entry["id"] = key.id;
    entry["name"] = key.name;
    entry["role"] = std::string(to_string(key.role));
    entry["jurisdiction"] = key.jurisdiction.text();
    if (key.channel) entry["channel"] = std::string(to_string(*key.channel));
    entry["salt"] = key.salt;
    entry["hash"] = key.hash;
    entry["created_at"] = key.created_at;
    if (key.revoked()) entry["revoked_at"] = key.revoked_at;
    list.push_back(std::move(entry));
  }
  return Json{{"keys", std::move(list)}}.dump(2, ' ', false) + "\n";
}

Result<void> write_keys_file(const std::filesystem::path& file, const std::vector<ApiKey>& keys) {
  const auto temporary = std::filesystem::path(file.string() + ".tmp");
  {
    const mode_t previous = ::umask(077);
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    ::umask(previous);
    out << keys_json(keys);
    out.flush();
    if (!out) return fail(ErrorCode::kUnavailable, temporary.string() + ": cannot write the keys file");
  }
  std::error_code error;
  std::filesystem::permissions(temporary, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                               error);
  std::filesystem::rename(temporary, file, error);
  if (error) return fail(ErrorCode::kUnavailable, file.string() + ": cannot replace the keys file: " + error.message());
  return {};
}

const ApiKey* KeyRing::authenticate(std::string_view header) const {
  constexpr std::string_view kBearer = "Bearer ";
  if (header.size() < kBearer.size() || !std::equal(kBearer.begin(), kBearer.end(), header.begin(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
      })) {
    return nullptr;
  }
  std::string_view token = header.substr(kBearer.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  const std::size_t id_end = kPrefix.size() + 2 * kIdBytes;
  if (!token.starts_with(kPrefix) || token.size() <= id_end + 1 || token[id_end] != '_') return nullptr;
  const auto id = token.substr(kPrefix.size(), 2 * kIdBytes);
  const auto secret = token.substr(id_end + 1);
  const auto found = std::find_if(keys_.begin(), keys_.end(), [&](const ApiKey& k) { return k.id == id; });
  if (found == keys_.end()) return nullptr;
  const auto salt = bytes_of_hex(found->salt);
  const auto expected = bytes_of_hex(found->hash);
  if (!salt || !expected || expected->size() != 32) return nullptr;
  const auto digest = salted_hash(*salt, secret);
  const bool same = CRYPTO_memcmp(digest.data(), expected->data(), digest.size()) == 0;
  return same && !found->revoked() ? &*found : nullptr;
}

}  // namespace escalator::access

#include "keys_command.hpp"

#include <algorithm>
#include <iostream>

#include <nlohmann/json.hpp>

#include "command_line.hpp"
#include "escalator/access/keys.hpp"
#include "text_table.hpp"

namespace escalator::tools {
namespace {

constexpr const char* kKeysWhat = R"(The API keys a service checks callers against (docs/access.md). The file holds each key's
salted SHA-256 hash, never the key: a key is shown once, when it is added, and cannot be
shown again. A running service sees the file change at its next request (and reads it on
SIGHUP too), so a key added or revoked here works, or stops working, from then on.)";

constexpr const char* kAddWhat = R"(Adds a key and prints it once. The role says what the key may do and the jurisdiction
where: * (everywhere), place:<id of a district, street, community, grid or compound> or
unit:<unit id> (the unit's place, and the cases the unit holds). A handler acts for one
unit; an intake key opens cases for one channel.)";

constexpr const char* kListWhat = "Lists the keys: id, holder, role, jurisdiction, channel, when made and when revoked.";
constexpr const char* kRevokeWhat = "Revokes a key: a running service refuses it from its next request.";

std::vector<access::ApiKey> keys_or_none(const std::filesystem::path& file, bool& failed) {
  failed = false;
  if (!std::filesystem::exists(file)) return {};
  auto keys = access::read_keys_file(file);
  if (!keys) {
    std::cerr << keys.error().message << "\n";
    failed = true;
    return {};
  }
  return std::move(*keys);
}

}  // namespace

int keys_command(const std::vector<std::string>& args, const Config&, std::ostream& out) {
  auto app = command_app("escalator keys", kKeysWhat,
                         "Exits 1 when the file cannot be read or written or names no such key, 2 on bad arguments.");
  app->require_subcommand(1);
  std::filesystem::path file;

  auto* add_app = app->add_subcommand("add", kAddWhat);
  add_app->add_option("--file", file, "the keys file; made when missing")->option_text("FILE")->required();
  std::string name, role_text, jurisdiction_text = "*", channel_text;
  add_app->add_option("--name", name, "who holds it: 阳光花园物业服务中心")->option_text("TEXT")->required();
  add_app->add_option("--role", role_text, "intake, handler, dispatcher, supervisor, administrator or auditor")
      ->option_text("ROLE")
      ->required();
  add_app->add_option("--jurisdiction", jurisdiction_text, "*, place:ID or unit:ID")
      ->option_text("WHERE")
      ->capture_default_str();
  add_app->add_option("--channel", channel_text, "an intake key's channel: hotline, wechat, wecom, …")
      ->option_text("CHANNEL");

  auto* list_app = app->add_subcommand("list", kListWhat);
  list_app->add_option("--file", file, "the keys file")->option_text("FILE")->required();
  bool json = false;
  add_json_flag(*list_app, json);

  auto* revoke_app = app->add_subcommand("revoke", kRevokeWhat);
  revoke_app->add_option("--file", file, "the keys file")->option_text("FILE")->required();
  std::string revoked_id;
  revoke_app->add_option("ID", revoked_id, "the key's id, as `keys list` shows it")->required();

  if (auto done = parse_command_line(*app, args, out)) return *done;
  bool failed = false;
  auto keys = keys_or_none(file, failed);
  if (failed) return 1;
  const auto now = format_time(SystemClock().now());

  if (add_app->parsed()) {
    auto role = access::parse_role(role_text);
    if (!role) return usage_error("escalator keys add", "--role: " + role.error().message);
    auto jurisdiction = access::parse_jurisdiction(jurisdiction_text);
    if (!jurisdiction) return usage_error("escalator keys add", "--jurisdiction: " + jurisdiction.error().message);
    std::optional<Channel> channel;
    if (!channel_text.empty()) {
      auto parsed = parse_channel(channel_text);
      if (!parsed) return usage_error("escalator keys add", "--channel: " + parsed.error().message);
      channel = *parsed;
    }
    auto made = access::make_key(name, *role, *jurisdiction, channel, now);
    if (!made) return usage_error("escalator keys add", made.error().message);
    keys.push_back(made->entry);
    if (auto written = access::write_keys_file(file, keys); !written) {
      std::cerr << written.error().message << "\n";
      return 1;
    }
    out << "added key " << made->entry.id << " (" << role_text << ", " << jurisdiction->text() << ") to "
        << file.string() << ".\nThe key, shown this once:\n" << made->text
        << "\nA running service takes it from its next request.\n";
    return 0;
  }
  if (revoke_app->parsed()) {
    const auto found = std::find_if(keys.begin(), keys.end(), [&](const access::ApiKey& k) { return k.id == revoked_id; });
    if (found == keys.end()) {
      std::cerr << file.string() << ": no key " << revoked_id << "\n";
      return 1;
    }
    if (!found->revoked()) found->revoked_at = now;
    if (auto written = access::write_keys_file(file, keys); !written) {
      std::cerr << written.error().message << "\n";
      return 1;
    }
    out << "revoked key " << revoked_id << " (" << found->name << ") at " << found->revoked_at
        << ".\nA running service refuses it from its next request.\n";
    return 0;
  }
  if (json) {
    // What the file says of each key but its salt and hash, which only the service needs.
    auto list = nlohmann::ordered_json::array();
    for (const auto& k : keys) {
      nlohmann::ordered_json entry;
      entry["id"] = k.id;
      entry["name"] = k.name;
      entry["role"] = std::string(access::to_string(k.role));
      entry["jurisdiction"] = k.jurisdiction.text();
      entry["channel"] = k.channel ? nlohmann::ordered_json(std::string(to_string(*k.channel))) : nullptr;
      entry["created_at"] = k.created_at;
      entry["revoked_at"] = k.revoked() ? nlohmann::ordered_json(k.revoked_at) : nullptr;
      list.push_back(std::move(entry));
    }
    out << list.dump(2, ' ', false) << "\n";
    return 0;
  }
  TextTable table;
  table.add_row({"id", "holder", "role", "jurisdiction", "channel", "created", "revoked"});
  for (const auto& k : keys) {
    table.add_row({k.id, k.name, std::string(access::to_string(k.role)), k.jurisdiction.text(),
                   k.channel ? std::string(to_string(*k.channel)) : "-", k.created_at,
                   k.revoked() ? k.revoked_at : "-"});
  }
  table.print(out);
  return 0;
}

}  // namespace escalator::tools

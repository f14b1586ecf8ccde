#include "personal_data.hpp"

#include <openssl/rand.h>

#include <nlohmann/json.hpp>

#include "escalator/lifecycle/history.hpp"
#include "json_text.hpp"
#include "sha256.hpp"

namespace escalator {

// The same digest as a chain link's, the salt in the place of prev_hash.
Result<std::string> personal_commitment(std::string_view salt, std::string_view value) {
  if (value.empty()) return std::string();
  if (salt.size() != 64 || !digest_from_hex(salt)) {
    return fail(ErrorCode::kInvalidArgument,
                "salt: expected 64 hex digits, found '" + std::string(salt.substr(0, 80)) + "'");
  }
  return chained_hash(salt, value);
}

Result<void> commit_personal_data(ev::CaseOpened& opened) {
  std::optional<Error> error;
  personal_data::each_field(opened, [&](const char*, const std::string& value, std::string& salt,
                                        std::string& commitment) {
    salt.clear();
    commitment.clear();
    if (value.empty() || error) return;
    Sha256Digest bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
      error = Error{ErrorCode::kInternal, "OpenSSL's random generator failed to make a salt"};
      return;
    }
    salt = to_hex(bytes);
    commitment = *personal_commitment(salt, value);
  });
  if (error) return tl::unexpected(std::move(*error));
  return {};
}

namespace personal_data {

bool any_value(const ev::CaseOpened& e) {
  bool any = false;
  each_field(e, [&](const char*, const std::string& value, const std::string&, const std::string&) {
    any = any || !value.empty();
  });
  return any;
}

std::string encode(const ev::CaseOpened& e) {
  std::string out;
  if (!any_value(e)) return out;
  JsonText text(out);
  text.begin_object();
  each_field(e, [&](const char* name, const std::string& value, const std::string& salt, const std::string&) {
    if (value.empty()) return;
    text.key(name);
    text.begin_object();
    text.key("salt");
    text.value(salt);
    text.key("value");
    text.value(value);
    text.end_object();
  });
  text.end_object();
  return out;
}

Result<void> join(std::string_view record, ev::CaseOpened& e) {
  const auto json = nlohmann::json::parse(record, nullptr, false);
  if (json.is_discarded() || !json.is_object()) return fail(ErrorCode::kDataLoss, "not a personal record");
  std::size_t known = 0;
  std::optional<Error> error;
  each_field(e, [&](const char* name, std::string& value, std::string& salt, const std::string& commitment) {
    const auto it = json.find(name);
    if (it == json.end() || error) return;
    ++known;
    const auto bad = [&](const std::string& why) { error = Error{ErrorCode::kDataLoss, std::string(name) + ": " + why}; };
    if (!it->is_object() || !it->contains("salt") || !it->contains("value") || !(*it)["salt"].is_string() ||
        !(*it)["value"].is_string()) {
      return bad("should be an object with the strings 'salt' and 'value'");
    }
    const auto& given_salt = (*it)["salt"].get_ref<const std::string&>();
    const auto& given_value = (*it)["value"].get_ref<const std::string&>();
    auto made = personal_commitment(given_salt, given_value);
    if (!made) return bad(made.error().message);
    if (commitment.empty()) return bad("the history holds no commitment to it");
    if (*made != commitment) return bad("does not match the history's commitment " + commitment.substr(0, 12) + "…");
    salt = given_salt;
    value = given_value;
  });
  if (error) return tl::unexpected(std::move(*error));
  if (known != json.size()) return fail(ErrorCode::kDataLoss, "holds a field that is not personal data");
  return {};
}

bool names_resident(std::string_view record, std::string_view resident) {
  const auto json = nlohmann::json::parse(record, nullptr, false);
  if (json.is_discarded() || !json.is_object()) return false;
  const auto value_of = [&json](const char* field) {
    const auto it = json.find(field);
    if (it == json.end() || !it->is_object()) return std::string();
    const auto value = it->find("value");
    return value != it->end() && value->is_string() ? value->get<std::string>() : std::string();
  };
  return names_reporter(Reporter{"", value_of("reporter_phone"), value_of("reporter_account")}, resident);
}

std::vector<std::string> mismatches(const ev::CaseOpened& e) {
  std::vector<std::string> found;
  each_field(e, [&](const char* name, const std::string& value, const std::string& salt,
                    const std::string& commitment) {
    if (value.empty()) return;
    auto made = personal_commitment(salt, value);
    if (!made || *made != commitment) found.push_back(std::string(name) + " does not match its commitment");
  });
  return found;
}

void forget_if_erased(std::vector<Event>& history) {
  if (history.empty() || !std::holds_alternative<ev::PersonalDataErased>(history.back().payload)) return;
  if (auto* opened = std::get_if<ev::CaseOpened>(&history.front().payload)) {
    each_field(*opened, [](const char*, std::string& value, std::string& salt, const std::string&) {
      value.clear();
      salt.clear();
    });
  }
}

void copy_values(const ev::CaseOpened& e, CaseState& k) {
  k.reporter = e.reporter;
  k.content = e.content;
  k.location.address = e.location.address;
}

}  // namespace personal_data
}  // namespace escalator

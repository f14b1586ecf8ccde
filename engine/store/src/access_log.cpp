#include "escalator/store/access_log.hpp"

#include <nlohmann/json.hpp>

#include "canonical_json.hpp"
#include "sha256.hpp"

namespace escalator {
namespace {

using Json = nlohmann::ordered_json;

Json hashed_members(const AccessRecord& r) {
  Json j;
  j["at"] = format_time(r.at);
  j["key"] = r.key;
  j["holder"] = r.holder;
  j["role"] = r.role;
  j["operation"] = r.operation;
  j["case_id"] = r.case_id;
  j["fields"] = r.fields;
  j["purpose"] = r.purpose;
  j["request_id"] = r.request_id;
  return j;
}

}  // namespace

std::string access_record_canonical(const AccessRecord& record) {
  // The members are text the service wrote or checked as UTF-8; a byte that
  // is not would make canonical_json refuse, and is replaced rather than lost.
  const auto members = Json::parse(hashed_members(record).dump(-1, ' ', false, Json::error_handler_t::replace));
  return canonical_json(members).value_or(std::string());
}

std::string access_record_hash(const AccessRecord& record) {
  Sha256 hasher;
  const auto before = digest_from_lowercase_hex(record.prev_hash);
  hasher.update(before ? *before : Sha256Digest{});
  hasher.update(access_record_canonical(record));
  return to_hex(hasher.finish());
}

std::string access_record_json(const AccessRecord& record) {
  Json j;
  j["position"] = record.position;
  const Json members = hashed_members(record);
  for (const auto& [name, value] : members.items()) j[name] = value;
  j["prev_hash"] = record.prev_hash;
  j["hash"] = record.hash;
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Result<AccessRecord> parse_access_record(std::string_view json) {
  const auto j = Json::parse(json, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return fail(ErrorCode::kDataLoss, "not a JSON object");
  try {
    AccessRecord r;
    r.position = j.at("position").get<std::uint64_t>();
    auto at = parse_time(j.at("at").get<std::string>());
    if (!at) return fail(ErrorCode::kDataLoss, "at: " + at.error().message);
    r.at = *at;
    r.key = j.at("key").get<std::string>();
    r.holder = j.at("holder").get<std::string>();
    r.role = j.at("role").get<std::string>();
    r.operation = j.at("operation").get<std::string>();
    r.case_id = j.at("case_id").get<std::string>();
    r.fields = j.at("fields").get<std::vector<std::string>>();
    r.purpose = j.at("purpose").get<std::string>();
    r.request_id = j.at("request_id").get<std::string>();
    r.prev_hash = j.at("prev_hash").get<std::string>();
    r.hash = j.at("hash").get<std::string>();
    return r;
  } catch (const nlohmann::json::exception& e) {
    return fail(ErrorCode::kDataLoss, std::string("not an access record: ") + e.what());
  }
}

}  // namespace escalator

#include "event_record.hpp"

#include <charconv>

#include <nlohmann/json.hpp>

#include "canonical_json.hpp"
#include "event_json.hpp"
#include "sha256.hpp"

namespace escalator::event_record {
namespace {

constexpr std::string_view kHead = R"({"event":)";
constexpr std::string_view kHashKey = R"(,"hash":")";
constexpr std::string_view kPositionKey = R"(","position":)";
constexpr std::string_view kPrevKey = R"(,"prev_hash":")";
constexpr std::string_view kEnd = R"("})";

bool is_hex64(std::string_view text) { return text.size() == 64 && digest_from_hex(text).has_value(); }

}  // namespace

std::string encode(std::string_view canonical, std::string_view hash, std::uint64_t position,
                   std::string_view prev_hash) {
  std::string value;
  value.reserve(canonical.size() + 180);
  value += kHead;
  value += canonical;
  value += kHashKey;
  value += hash;
  value += kPositionKey;
  value += std::to_string(position);
  value += kPrevKey;
  value += prev_hash;
  value += kEnd;
  return value;
}

std::optional<Parts> split(std::string_view value) {
  // A string's quotes are escaped inside it, so the last `,"hash":"` is the
  // record's own, whatever the event holds.
  if (!value.starts_with(kHead) || !value.ends_with(kEnd)) return std::nullopt;
  const auto hash_at = value.rfind(kHashKey);
  if (hash_at == std::string_view::npos || hash_at < kHead.size()) return std::nullopt;
  Parts parts;
  parts.canonical = value.substr(kHead.size(), hash_at - kHead.size());
  std::string_view rest = value.substr(hash_at + kHashKey.size());
  parts.hash = rest.substr(0, 64);
  if (!is_hex64(parts.hash) || !rest.substr(64).starts_with(kPositionKey)) return std::nullopt;
  rest.remove_prefix(64 + kPositionKey.size());
  const auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), parts.position);
  if (error != std::errc{} || end == rest.data() || rest.front() == '0') return std::nullopt;
  rest.remove_prefix(static_cast<std::size_t>(end - rest.data()));
  if (!rest.starts_with(kPrevKey)) return std::nullopt;
  rest.remove_prefix(kPrevKey.size());
  parts.prev_hash = rest.substr(0, 64);
  if (!is_hex64(parts.prev_hash) || rest.substr(64) != kEnd) return std::nullopt;
  return parts;
}

Result<Event> decode(std::string_view value, bool before_chain) {
  const auto parts = split(value);
  if (!parts && !before_chain) return fail(ErrorCode::kDataLoss, "not an event record");
  if (parts) {
    if (auto fast = event_from_text(parts->canonical)) {
      fast->hash = std::string(parts->hash);
      fast->prev_hash = std::string(parts->prev_hash);
      fast->position = parts->position;
      return std::move(*fast);
    }
  }
  const auto json = nlohmann::ordered_json::parse(parts ? parts->canonical : value, nullptr, false);
  if (json.is_discarded()) return fail(ErrorCode::kDataLoss, "not JSON");
  if (!parts && json.is_object() && json.contains("event")) return fail(ErrorCode::kDataLoss, "not an event record");
  auto event = event_from_json(json);
  if (!event) return event;
  if (parts) {
    event->hash = std::string(parts->hash);
    event->prev_hash = std::string(parts->prev_hash);
    event->position = parts->position;
  }
  return event;
}

std::string encode_log(const LogEntry& entry) {
  nlohmann::ordered_json json = {
      {"case_id", entry.case_id}, {"hash", entry.hash}, {"log_hash", entry.log_hash}, {"seq", entry.seq}};
  auto text = canonical_json(json);
  return text ? *text : json.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

Result<LogEntry> decode_log(std::string_view value) {
  const auto json = nlohmann::json::parse(value, nullptr, false);
  if (json.is_discarded() || !json.is_object()) return fail(ErrorCode::kDataLoss, "not a log entry");
  LogEntry entry;
  const auto text = [&](const char* key, std::string& out) {
    const auto it = json.find(key);
    if (it == json.end() || !it->is_string()) return false;
    out = it->get<std::string>();
    return true;
  };
  const auto seq = json.find("seq");
  if (!text("case_id", entry.case_id) || !text("hash", entry.hash) || !text("log_hash", entry.log_hash) ||
      seq == json.end() || !seq->is_number_unsigned()) {
    return fail(ErrorCode::kDataLoss, "not a log entry: " + std::string(value.substr(0, 120)));
  }
  entry.seq = seq->get<std::uint64_t>();
  return entry;
}

Result<std::string> next_log_hash(std::string_view previous, std::string_view event_hash) {
  const auto before = digest_from_hex(previous);
  const auto hash = digest_from_hex(event_hash);
  if (!before || !hash) return fail(ErrorCode::kInvalidArgument, "a log hash or event hash is not 64 hex digits");
  thread_local Sha256 hasher;
  return to_hex(hasher.update(*before).update(*hash).finish());
}

}  // namespace escalator::event_record

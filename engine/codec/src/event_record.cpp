#include "event_record.hpp"

#include <algorithm>
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
  // Everything after the event has a fixed form, so it is read from the end,
  // without searching: a string's quotes are escaped inside it, so nothing the
  // event holds can end the record in its place.
  constexpr std::size_t kShortest = kHead.size() + kHashKey.size() + 64 + kPositionKey.size() + 1 +
                                    kPrevKey.size() + 64 + kEnd.size();
  if (value.size() < kShortest || !value.starts_with(kHead) || !value.ends_with(kEnd))
    return std::nullopt;
  std::string_view rest = value.substr(0, value.size() - kEnd.size());
  const auto take_last = [&rest](std::size_t n) {
    const auto last = rest.substr(rest.size() - n);
    rest.remove_suffix(n);
    return last;
  };
  Parts parts;
  parts.prev_hash = take_last(64);
  if (!rest.ends_with(kPrevKey)) return std::nullopt;
  rest.remove_suffix(kPrevKey.size());
  std::size_t digits = 0;
  while (digits < rest.size() && rest[rest.size() - 1 - digits] >= '0' &&
         rest[rest.size() - 1 - digits] <= '9') {
    ++digits;
  }
  const auto position = take_last(digits);
  const auto [end, error] =
      std::from_chars(position.data(), position.data() + position.size(), parts.position);
  if (position.empty() || position.front() == '0' || error != std::errc{} ||
      end != position.data() + position.size()) {
    return std::nullopt;
  }
  if (!rest.ends_with(kPositionKey)) return std::nullopt;
  rest.remove_suffix(kPositionKey.size());
  if (rest.size() < kHead.size() + 64 + kHashKey.size()) return std::nullopt;
  parts.hash = take_last(64);
  if (!rest.ends_with(kHashKey)) return std::nullopt;
  rest.remove_suffix(kHashKey.size());
  parts.canonical = rest.substr(kHead.size());
  if (!is_lowercase_hex_digest(parts.hash) || !is_lowercase_hex_digest(parts.prev_hash)) {
    return std::nullopt;
  }
  return parts;
}

ChainHead::ChainHead() {
  static const Sha256Digest genesis = *digest_from_lowercase_hex(kGenesisHash);
  std::copy(kGenesisHash.begin(), kGenesisHash.end(), hex_.begin());
  digest_ = genesis;
}

bool ChainHead::advance(const Parts& parts) {
  std::optional<Sha256Digest> prev_hash;
  if (digest_known_ && parts.prev_hash == hash()) {
    prev_hash = digest_;
  } else {
    prev_hash = digest_from_lowercase_hex(parts.prev_hash);
  }
  bool holds = false;
  if (prev_hash) {
    thread_local Sha256 hasher;
    digest_ = hasher.update(*prev_hash).update(parts.canonical).finish();
    holds = spells_digest(parts.hash, digest_);
  }
  digest_known_ = holds;  // else digest_ is not what the record's hash spells
  if (parts.hash.size() == hex_.size()) {
    std::copy(parts.hash.begin(), parts.hash.end(), hex_.begin());
  }
  return holds;
}

namespace {

// The full reader, which names what is wrong. `in_record`: the text came out of
// a record of this form, so it cannot be a whole record itself.
Result<Event> read_event(std::string_view text, bool in_record) {
  // nlohmann takes a NUL byte for the end of its input, and would read what comes before it.
  if (const auto nul = text.find('\0'); nul != std::string_view::npos) {
    return fail(ErrorCode::kDataLoss, "not JSON: a NUL byte at offset " + std::to_string(nul));
  }
  const auto json = nlohmann::ordered_json::parse(text, nullptr, false);
  if (json.is_discarded()) return fail(ErrorCode::kDataLoss, "not JSON");
  if (!in_record && json.is_object() && json.contains("event")) {
    return fail(ErrorCode::kDataLoss, "not an event record");
  }
  return event_from_json(json);
}

void take_seal(Event& event, const Parts& parts) {
  event.hash.assign(parts.hash);
  event.prev_hash.assign(parts.prev_hash);
  event.position = parts.position;
}

}  // namespace

Result<void> decode(const Parts& parts, Event& event) {
  // The fast reader says only whether it read; the full one names the problem.
  if (!event_from_text(parts.canonical, event)) {
    auto read = read_event(parts.canonical, true);
    if (!read) return tl::unexpected(read.error());
    event = std::move(*read);
  }
  take_seal(event, parts);
  return {};
}

Result<Event> decode(const Parts& parts) {
  Result<Event> read(tl::in_place);
  if (auto done = decode(parts, *read); !done) return tl::unexpected(done.error());
  return read;
}

Result<Event> decode(std::string_view value, bool before_chain) {
  if (const auto parts = split(value)) return decode(*parts);
  if (!before_chain) return fail(ErrorCode::kDataLoss, "not an event record");
  return read_event(value, false);
}

std::string encode_log(const LogEntry& entry) {
  nlohmann::ordered_json json = {{"case_id", entry.case_id},
                                 {"hash", entry.hash},
                                 {"log_hash", entry.log_hash},
                                 {"seq", entry.seq}};
  auto text = canonical_json(json);
  return text ? *text : json.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

namespace {

// A log entry as encode_log writes it, read from its end, as split() reads an
// event record: none for any other spelling (escapes in the case id, hashes
// not lowercase hex, a seq with a leading zero), which nlohmann then reads.
std::optional<LogEntry> written_log_entry(std::string_view value) {
  constexpr std::string_view kCaseHead = R"({"case_id":")";
  constexpr std::string_view kLogHashKey = R"(","log_hash":")";
  constexpr std::string_view kLogSeqKey = R"(","seq":)";
  constexpr std::string_view kEventHashKey = R"(","hash":")";
  if (!value.starts_with(kCaseHead) || !value.ends_with('}')) return std::nullopt;
  std::string_view rest = value.substr(kCaseHead.size(), value.size() - kCaseHead.size() - 1);
  const auto digits = rest.size() - std::min(rest.size(), rest.find_last_not_of("0123456789") + 1);
  const auto seq_text = rest.substr(rest.size() - digits);
  rest.remove_suffix(digits);
  LogEntry entry;
  const auto [end, error] =
      std::from_chars(seq_text.data(), seq_text.data() + seq_text.size(), entry.seq);
  if (seq_text.empty() || (seq_text.size() > 1 && seq_text.front() == '0') ||
      error != std::errc{} || end != seq_text.data() + seq_text.size() ||
      !rest.ends_with(kLogSeqKey)) {
    return std::nullopt;
  }
  rest.remove_suffix(kLogSeqKey.size());
  const auto take_hash = [&rest](std::string_view key, std::string& out) {
    if (rest.size() < 64 + key.size()) return false;
    const auto hash = rest.substr(rest.size() - 64);
    rest.remove_suffix(64);
    if (!is_lowercase_hex_digest(hash) || !rest.ends_with(key)) return false;
    rest.remove_suffix(key.size());
    out.assign(hash);
    return true;
  };
  if (!take_hash(kLogHashKey, entry.log_hash) || !take_hash(kEventHashKey, entry.hash)) {
    return std::nullopt;
  }
  // What is left is the case id, in plain printable ASCII or not read here.
  if (!std::all_of(rest.begin(), rest.end(),
                   [](char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; })) {
    return std::nullopt;
  }
  entry.case_id.assign(rest);
  return entry;
}

}  // namespace

Result<LogEntry> decode_log(std::string_view value) {
  if (auto written = written_log_entry(value)) return std::move(*written);
  const auto json = nlohmann::json::parse(value, nullptr, false);
  if (json.is_discarded() || !json.is_object())
    return fail(ErrorCode::kDataLoss, "not a log entry");
  LogEntry entry;
  const auto text = [&](const char* key, std::string& out) {
    const auto it = json.find(key);
    if (it == json.end() || !it->is_string()) return false;
    out = it->get<std::string>();
    return true;
  };
  const auto seq = json.find("seq");
  if (!text("case_id", entry.case_id) || !text("hash", entry.hash) ||
      !text("log_hash", entry.log_hash) || seq == json.end() || !seq->is_number_unsigned()) {
    return fail(ErrorCode::kDataLoss, "not a log entry: " + std::string(value.substr(0, 120)));
  }
  entry.seq = seq->get<std::uint64_t>();
  return entry;
}

Result<std::string> next_log_hash(std::string_view previous, std::string_view event_hash) {
  const auto before = digest_from_hex(previous);
  const auto hash = digest_from_hex(event_hash);
  if (!before || !hash)
    return fail(ErrorCode::kInvalidArgument, "a log hash or event hash is not 64 hex digits");
  thread_local Sha256 hasher;
  return to_hex(hasher.update(*before).update(*hash).finish());
}

}  // namespace escalator::event_record

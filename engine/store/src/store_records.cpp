#include "store_records.hpp"

#include "json_text.hpp"

namespace escalator::store_records {
namespace {

void write_timer(JsonText& text, const PendingTimer& t) {
  text.begin_object();
  text.key("at");
  text.value(format_time(t.at));
  text.key("warning");
  text.value(t.warning);
  text.key("case_id");
  text.value(t.deadline.case_id);
  text.key("kind");
  text.value(to_string(t.deadline.kind));
  text.key("due");
  text.value(format_time(t.deadline.due));
  text.key("case_version");
  text.value(t.deadline.case_version);
  text.end_object();
}

}  // namespace

std::string timer(const PendingTimer& t) {
  std::string out;
  JsonText text(out);
  write_timer(text, t);
  return out;
}

std::string timers(const std::vector<PendingTimer>& list) {
  std::string out;
  JsonText text(out);
  text.begin_array();
  for (const auto& t : list) write_timer(text, t);
  text.end_array();
  return out;
}

std::string outbox(const std::string& case_id, const std::vector<Event>& events) {
  std::string out;
  JsonText text(out);
  text.begin_object();
  text.key("case_id");
  text.value(case_id);
  text.key("first_seq");
  text.value(events.empty() ? std::uint64_t{0} : events.front().seq);
  text.key("last_seq");
  text.value(events.empty() ? std::uint64_t{0} : events.back().seq);
  text.key("types");
  text.begin_array();
  for (const auto& event : events) text.value(event_type_name(event_type(event.payload)));
  text.end_array();
  text.end_object();
  return out;
}

Result<OutboxRecord> outbox_from_json(std::string_view text, const std::string& where) {
  const auto j = nlohmann::json::parse(text, nullptr, false);
  try {
    if (!j.is_object()) return fail(ErrorCode::kDataLoss, where + ": an outbox record should be a JSON object");
    OutboxRecord record;
    record.case_id = j.at("case_id").get<std::string>();
    record.first_seq = j.at("first_seq").get<std::uint64_t>();
    record.last_seq = j.at("last_seq").get<std::uint64_t>();
    record.types = j.at("types").get<std::vector<std::string>>();
    return record;
  } catch (const nlohmann::json::exception& e) {
    return fail(ErrorCode::kDataLoss, where + ": not an outbox record: " + e.what());
  }
}

Result<PendingTimer> timer_from_json(const nlohmann::json& j, const std::string& where) {
  const auto bad = [&where](const std::string& why) { return fail(ErrorCode::kDataLoss, where + ": " + why); };
  if (!j.is_object()) return bad("a timer should be a JSON object");
  for (const char* key : {"at", "kind", "due", "case_id"}) {
    if (!j.contains(key) || !j[key].is_string()) return bad(std::string("field '") + key + "' should be a string");
  }
  if (!j.contains("warning") || !j["warning"].is_boolean()) return bad("field 'warning' should be a boolean");
  if (!j.contains("case_version") || !j["case_version"].is_number_unsigned()) {
    return bad("field 'case_version' should be a number");
  }
  auto at = parse_time(j["at"].get<std::string>());
  auto due = parse_time(j["due"].get<std::string>());
  auto kind = parse_deadline_kind(j["kind"].get<std::string>());
  if (!at || !due || !kind) return bad("a time or the kind cannot be read");
  return PendingTimer{*at, j["warning"].get<bool>(),
                      RunningDeadline{*due, j["case_id"].get<std::string>(), *kind, j["case_version"].get<std::uint64_t>()}};
}

Result<std::vector<PendingTimer>> timers_from_text(std::string_view text, const std::string& where) {
  const auto list = nlohmann::json::parse(text, nullptr, false);
  if (!list.is_array()) return fail(ErrorCode::kDataLoss, where + ": a case's timers should be a JSON array");
  std::vector<PendingTimer> timers;
  for (const auto& item : list) {
    auto timer = timer_from_json(item, where);
    if (!timer) return tl::unexpected(timer.error());
    timers.push_back(std::move(*timer));
  }
  return timers;
}

}  // namespace escalator::store_records

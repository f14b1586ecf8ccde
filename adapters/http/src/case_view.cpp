#include "case_view.hpp"

#include <nlohmann/json.hpp>

#include "escalator/access/masking.hpp"
#include "event_json.hpp"

namespace escalator::http {
namespace {

using Json = nlohmann::ordered_json;

std::string dumped(const Json& json) { return json.dump(-1, ' ', false, Json::error_handler_t::replace); }

// Events are written by the engine's own writer, already JSON text.
std::string event_array(const std::vector<Event>& events) {
  std::string out = "[";
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (i > 0) out += ',';
    out += to_json(events[i]);
  }
  return out + "]";
}

}  // namespace

std::string case_json(const CaseState& state, const std::vector<PausedDeadline>& paused, bool masked) {
  // The snapshot's fields in its order, with the resident's values where the
  // snapshot keeps only the commitments to them.
  Json snapshot = case_to_json(state);
  Json json;
  for (auto& [key, value] : snapshot.items()) {
    if (key == "personal") {
      const auto& r = state.reporter;
      json["reporter"] = {{"name", masked ? access::mask_name(r.name) : r.name},
                          {"phone", masked ? access::mask_phone(r.phone) : r.phone},
                          {"account", masked ? access::mask_account(r.account) : r.account}};
      json["content"] = masked ? access::mask_text(state.content) : state.content;
      continue;
    }
    json[key] = std::move(value);
    if (key == "location") {
      json[key]["address"] = masked ? access::mask_address(state.location.address) : state.location.address;
    }
  }
  if (!paused.empty()) {
    Json held = Json::array();
    for (const PausedDeadline& p : paused) {
      json.erase(std::string(to_string(p.kind)) + "_by");
      held.push_back({{"kind", std::string(to_string(p.kind))},
                      {"was_due", format_time(p.was_due)},
                      {"left_seconds", p.left.count()},
                      {"working", p.working},
                      {"words", paused_words(p)}});
    }
    json["paused"] = std::move(held);
  }
  return dumped(json);
}

std::string decision_json(const Decision& decision) {
  Json head;
  head["case_id"] = decision.case_id;
  head["version"] = decision.version;
  head["state"] = std::string(to_string(decision.state));
  head["duplicate"] = decision.duplicate;
  std::string out = dumped(head);
  out.pop_back();  // the closing brace: the events follow
  return out + ",\"events\":" + event_array(decision.events) + "}";
}

std::string history_json(const std::string& case_id, const std::vector<Event>& events) {
  Json head;
  head["case_id"] = case_id;
  head["version"] = events.size();
  std::string out = dumped(head);
  out.pop_back();
  return out + ",\"events\":" + event_array(events) + "}";
}

std::string etag_of(std::uint64_t version) { return "\"" + std::to_string(version) + "\""; }

}  // namespace escalator::http

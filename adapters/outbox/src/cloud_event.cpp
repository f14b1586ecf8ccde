#include "escalator/outbox/cloud_event.hpp"

#include <nlohmann/json.hpp>

namespace escalator::outbox {

std::string delivery_id(std::string_view case_id, std::uint64_t seq) {
  return std::string(case_id) + "/" + std::to_string(seq);
}

std::string cloud_event_type(const Event& event) {
  std::string_view name = event_type_name(event_type(event.payload));
  if (name.starts_with("Case") && name.size() > 4) name.remove_prefix(4);
  std::string snake;
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') {
      if (!snake.empty()) snake += '_';
      snake += static_cast<char>(c - 'A' + 'a');
    } else {
      snake += c;
    }
  }
  return "org.escalator.case." + snake;
}

std::string cloud_event_json(std::string_view case_id, const Event& event, std::string_view source) {
  nlohmann::ordered_json head;
  head["specversion"] = "1.0";
  head["id"] = delivery_id(case_id, event.seq);
  head["source"] = std::string(source);
  head["type"] = cloud_event_type(event);
  head["subject"] = std::string(case_id);
  head["time"] = format_time(event.time);
  head["datacontenttype"] = "application/json";
  std::string out = head.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  out.pop_back();
  // The event as the engine's own writer makes it: the bytes the history holds.
  return out + ",\"data\":" + to_json(event) + "}";
}

}  // namespace escalator::outbox

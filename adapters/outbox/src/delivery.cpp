#include "escalator/outbox/delivery.hpp"

#include "escalator/outbox/cloud_event.hpp"

namespace escalator::outbox {

Result<std::vector<Delivery>> deliveries_of(const OutboxRecord& record, const std::vector<Event>& history,
                                            std::string_view source) {
  std::vector<Delivery> deliveries;
  const auto where = "outbox/" + std::to_string(record.position) + " (" + record.case_id + ")";
  if (record.last_seq < record.first_seq || record.last_seq - record.first_seq + 1 != record.types.size()) {
    return fail(ErrorCode::kDataLoss, where + ": names " + std::to_string(record.types.size()) +
                                          " types for events " + std::to_string(record.first_seq) + " to " +
                                          std::to_string(record.last_seq));
  }
  for (auto seq = record.first_seq; seq <= record.last_seq && seq != 0; ++seq) {
    if (seq > history.size() || history[seq - 1].seq != seq) {
      return fail(ErrorCode::kDataLoss, where + ": event " + std::to_string(seq) + " is not in the case's history");
    }
    const Event& event = history[seq - 1];
    const auto& named = record.types[seq - record.first_seq];
    if (event_type_name(event_type(event.payload)) != named) {
      return fail(ErrorCode::kDataLoss, where + ": event " + std::to_string(seq) + " is a " +
                                            std::string(event_type_name(event_type(event.payload))) +
                                            ", and the record says " + named);
    }
    deliveries.push_back({delivery_id(record.case_id, seq), cloud_event_type(event),
                          cloud_event_json(record.case_id, event, source)});
  }
  return deliveries;
}

}  // namespace escalator::outbox

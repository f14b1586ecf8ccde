// What one outbox record becomes for a subscriber (docs/webhooks.md): a
// delivery per event the command added, each a signed CloudEvent.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "escalator/model/event.hpp"
#include "escalator/store/outbox.hpp"

namespace escalator::outbox {

struct Delivery {
  std::string id;    // webhook-id and the CloudEvent's id: stable across retries
  std::string type;  // the CloudEvent's type, which subscriptions filter on
  std::string body;  // application/cloudevents+json
};

// The record's events, first_seq to last_seq, taken from the case's
// `history`, in order. kDataLoss naming the record when the history lacks
// one of them or holds another type there: the outbox and the events are
// written in one batch, so that is a broken store.
[[nodiscard]] Result<std::vector<Delivery>> deliveries_of(const OutboxRecord& record, const std::vector<Event>& history,
                                                          std::string_view source);

}  // namespace escalator::outbox

// A stored event as a CloudEvents 1.0 event in structured mode
// (application/cloudevents+json; docs/webhooks.md): what a subscriber's
// endpoint receives as the body of a delivery.
#pragma once

#include <string>
#include <string_view>

#include "escalator/model/event.hpp"

namespace escalator::outbox {

// The id a delivery of the event carries, as CloudEvents' `id` and Standard
// Webhooks' webhook-id alike: "<case id>/<seq>", the same on every retry,
// so that a receiver drops what it already has.
std::string delivery_id(std::string_view case_id, std::uint64_t seq);

// "org.escalator.case.dispatched" for a CaseDispatched: the event's type,
// its "Case" dropped, in lower snake case, under the project's reverse domain.
std::string cloud_event_type(const Event& event);

// {"specversion":"1.0","id":…,"source":`source`,"type":…,"subject":case id,
//  "time":…,"datacontenttype":"application/json","data":<the event as the
//  history holds it>}.
std::string cloud_event_json(std::string_view case_id, const Event& event, std::string_view source);

}  // namespace escalator::outbox

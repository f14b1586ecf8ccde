// The fields of every record the store keeps as JSON (events, their nested
// objects, the case snapshot), each listed once in a fields() overload that
// calls io(name, member) for every member in order. event_json.cpp walks
// these lists to write JSON (as objects or straight as text) and to read it
// back, and canonical_event.cpp to write an event's canonical bytes;
// docs/events.md documents the same names in the same order.
#pragma once

#include <concepts>
#include <type_traits>

#include "escalator/model/case.hpp"
#include "escalator/model/event.hpp"

namespace escalator::record_fields {

// T is U, const or not: one fields() overload serves the writer (which sees
// const values) and the reader (which fills mutable ones).
template <typename T, typename U>
concept Is = std::same_as<std::remove_const_t<T>, U>;

// Types written as nested JSON objects through their own fields() list.
template <typename T>
concept Nested = Is<T, WorkflowRef> || Is<T, Location> || Is<T, Party> || Is<T, PersonalFields> ||
                 Is<T, ev::StepAssignment> || Is<T, DeadlineWarning> || Is<T, ev::EarlierCall>;

void fields(auto& io, Is<WorkflowRef> auto& w) {
  io("id", w.id);
  io("version", w.version);
}
void fields(auto& io, Is<Location> auto& l) {
  io("district_code", l.district_code);
  io("street", l.street);
  io("community", l.community);
  io("grid", l.grid);
  io("compound", l.compound);
  io("building", l.building);
  // Not address: personal data, which no record holds (personal_data.hpp).
}
void fields(auto& io, Is<Party> auto& p) {
  io("unit", p.unit);
  io("person", p.person);
}
// Commitments to the personal data, in place of the values (docs/history.md).
void fields(auto& io, Is<PersonalFields> auto& p) {
  io("reporter_name", p.reporter_name);
  io("reporter_phone", p.reporter_phone);
  io("reporter_account", p.reporter_account);
  io("address", p.address);
  io("content", p.content);
}
void fields(auto& io, Is<ev::StepAssignment> auto& s) {
  io("step", s.step);
  io("step_id", s.step_id);
  io("level", s.level);
  io("lead_unit", s.lead_unit);
  io("co_handlers", s.co_handlers);
  io("accept_by", s.accept_by);
  io("directory_version", s.directory_version);
  io("waiting_for_dispatcher", s.waiting_for_dispatcher);
}

void fields(auto& io, Is<ev::EarlierCall> auto& c) {
  io("case_id", c.case_id);
  io("opened_at", c.opened_at);
  io("lead_unit", c.lead_unit);
  io("step_id", c.step_id);
}

void fields(auto& io, Is<DeadlineWarning> auto& w) {
  io("kind", w.kind);
  io("due", w.due);
}

// The snapshot: every field of CaseState but the personal values, in declaration order.
void fields(auto& io, Is<CaseState> auto& k) {
  io("id", k.id);
  io("state", k.state);
  io("version", k.version);
  io("request_type", k.request_type);
  io("channel", k.channel);
  io("category", k.category);
  io("location", k.location);
  io("collective", k.collective);
  io("urgent", k.urgent);
  io("personal", k.personal);
  io("external_id", k.external_id);
  io("workflow", k.workflow);
  io("workflow_hash", k.workflow_hash);
  io("opened_at", k.opened_at);
  io("owner", k.owner);
  io("step", k.step);
  io("step_id", k.step_id);
  io("level", k.level);
  io("lead_unit", k.lead_unit);
  io("co_handlers", k.co_handlers);
  io("co_replied", k.co_replied);
  io("steps_visited", k.steps_visited);
  io("returned_by", k.returned_by);
  io("waiting_for_dispatcher", k.waiting_for_dispatcher);
  io("accept_by", k.accept_by);
  io("resolve_by", k.resolve_by);
  io("reply_by", k.reply_by);
  io("rating_by", k.rating_by);
  io("follow_up_by", k.follow_up_by);
  io("overdue", k.overdue);
  io("warned", k.warned);
  io("warnings", k.warnings);
  io("suspended_from", k.suspended_from);
  io("suspended_at", k.suspended_at);
  io("extension_requested", k.extension_requested);
  io("outcome", k.outcome);
  io("answer", k.answer);
  io("answered_on_spot", k.answered_on_spot);
  io("rating", k.rating);
  io("merged_into", k.merged_into);
  io("duplicates", k.duplicates);
  io("urges", k.urges);
  io("escalations", k.escalations);
  io("returns", k.returns);
  io("send_backs", k.send_backs);
  io("extensions_granted", k.extensions_granted);
  io("reopens", k.reopens);
  io("updated_at", k.updated_at);
  io("closed_at", k.closed_at);
  io("personal_data_erased_at", k.personal_data_erased_at);
}

void fields(auto& io, Is<ev::CaseOpened> auto& e) {
  io("case_id", e.case_id);
  io("request_type", e.request_type);
  io("channel", e.channel);
  io("category", e.category);
  io("location", e.location);
  io("collective", e.collective);
  io("urgent", e.urgent);
  io("personal", e.commitments);
  io("external_id", e.external_id);
  io("owner", e.owner);
  io("reply_by", e.reply_by);
  io("workflow_hash", e.workflow_hash);
  io("earlier_call", e.earlier_call);
}
void fields(auto& io, Is<ev::CaseDispatched> auto& e) { io("to", e.to); }
void fields(auto& io, Is<ev::CaseAccepted> auto& e) {
  io("unit", e.unit);
  io("resolve_by", e.resolve_by);
}
void fields(auto& io, Is<ev::CaseReplied> auto& e) {
  io("outcome", e.outcome);
  io("answer", e.answer);
  io("on_spot", e.on_spot);
  io("follow_up_by", e.follow_up_by);
}
void fields(auto& io, Is<ev::CaseReturned> auto& e) {
  io("from_unit", e.from_unit);
  io("reason", e.reason);
}
void fields(auto& io, Is<ev::CaseSentBack> auto& e) {
  io("to", e.to);
  io("reason", e.reason);
  io("reply_by", e.reply_by);
}
void fields(auto& io, Is<ev::CaseEscalated> auto& e) {
  io("to", e.to);
  io("reason", e.reason);
}
void fields(auto& io, Is<ev::CoHandlerReplied> auto& e) {
  io("unit", e.unit);
  io("outcome", e.outcome);
  io("answer", e.answer);
}
void fields(auto& io, Is<ev::CaseUrged> auto& e) {
  io("note", e.note);
  io("accept_by", e.accept_by);
  io("resolve_by", e.resolve_by);
}
void fields(auto& io, Is<ev::CaseHandedOver> auto& e) {
  io("from", e.from);
  io("to", e.to);
  io("note", e.note);
}
void fields(auto& io, Is<ev::CaseSuspended> auto& e) { io("reason", e.reason); }
void fields(auto& io, Is<ev::CaseResumed> auto& e) {
  io("accept_by", e.accept_by);
  io("resolve_by", e.resolve_by);
  io("reply_by", e.reply_by);
}
void fields(auto& io, Is<ev::ExtensionRequested> auto& e) {
  io("extra", e.extra);
  io("reason", e.reason);
}
void fields(auto& io, Is<ev::ExtensionDecided> auto& e) {
  io("approved", e.approved);
  io("note", e.note);
  io("resolve_by", e.resolve_by);
  io("reply_by", e.reply_by);
}
void fields(auto& io, Is<ev::FollowUpStarted> auto& e) { io("rating_by", e.rating_by); }
void fields(auto& io, Is<ev::CaseRated> auto& e) {
  io("rating", e.rating);
  io("reason", e.reason);
}
void fields(auto& io, Is<ev::CaseReopened> auto& e) {
  io("to", e.to);
  io("reason", e.reason);
  io("reply_by", e.reply_by);
}
void fields(auto& io, Is<ev::CaseWithdrawn> auto& e) { io("reason", e.reason); }
void fields(auto& io, Is<ev::CaseMerged> auto& e) { io("into", e.into); }
void fields(auto& io, Is<ev::CaseClosed> auto& e) { io("note", e.note); }
void fields(auto& io, Is<ev::OverdueMarked> auto& e) {
  io("kind", e.kind);
  io("due", e.due);
}
void fields(auto& io, Is<ev::WarningRaised> auto& e) {
  io("kind", e.kind);
  io("due", e.due);
}
void fields(auto& io, Is<ev::DeadlinesRecomputed> auto& e) {
  io("calendar", e.calendar);
  io("accept_by", e.moved.accept_by);
  io("resolve_by", e.moved.resolve_by);
  io("reply_by", e.moved.reply_by);
  io("rating_by", e.moved.rating_by);
  io("follow_up_by", e.moved.follow_up_by);
}

void fields(auto& io, Is<ev::PersonalDataErased> auto& e) { io("reason", e.reason); }
void fields(auto& io, Is<ev::DuplicateMergedIn> auto& e) { io("duplicate", e.duplicate); }
void fields(auto& io, Is<ev::ParkedForDispatcher> auto& e) { io("reason", e.reason); }
void fields(auto& io, Is<ev::CaseLocated> auto& e) {
  io("location", e.location);
  io("reason", e.reason);
  io("directory_version", e.directory_version);
}
void fields(auto& io, Is<ev::CaseDiscussed> auto& e) {
  io("unit", e.unit);
  io("note", e.note);
}
void fields(auto& io, Is<ev::CaseReturnedToOwner> auto& e) {
  io("to", e.to);
  io("reason", e.reason);
}
void fields(auto& io, Is<ev::CoHandlersAdded> auto& e) {
  io("units", e.units);
  io("reason", e.reason);
}
void fields(auto& io, Is<ev::AnswerRelayed> auto& e) {
  io("from", e.from);
  io("unit", e.unit);
  io("step_id", e.step_id);
  io("outcome", e.outcome);
  io("answer", e.answer);
}

// An event's members before its "data", as every writer writes them (the
// reader reads "type" on its own, to choose the payload).
void envelope(auto& io, const Event& e) {
  io("seq", e.seq);
  io("time", e.time);
  io("type", std::string(event_type_name(event_type(e.payload))));
  io("actor", e.actor);
  io("key", e.idempotency_key);
  io("workflow", e.workflow);
  if (e.provisional) io("provisional", true);
}

}  // namespace escalator::record_fields

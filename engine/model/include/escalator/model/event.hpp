// Events: what happened to a case, in order. A case's events are its history
// of record; its CaseState is what the appliers make of them.
//
// Each event records what the decider's guards saw (the step, the holder, the
// deadline computed on the calendar), so applying it needs nothing else: replay
// and audit never re-decide.
//
// Events are plain values; copies are independent. to_json replaces invalid
// UTF-8 rather than throw (commands with invalid UTF-8 are refused on entry).
//
// Event type ids are permanent. Never renumber or reuse one; when a meaning
// changes, add a new type. The ids of events that later versions of the engine
// emit are reserved here so that no one takes them by mistake.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "escalator/model/case.hpp"
#include "escalator/util/time.hpp"

namespace escalator {

enum class EventType : std::uint16_t {
  kCaseOpened = 1,
  kCaseDispatched = 2,
  kCaseAccepted = 3,
  kCaseReplied = 4,
  kCaseReturned = 5,
  kCaseSentBack = 6,
  kCaseEscalated = 7,
  kCaseUrged = 8,
  kCaseHandedOver = 9,
  kCaseSuspended = 10,
  kCaseResumed = 11,
  kExtensionRequested = 12,
  kExtensionDecided = 13,
  kFollowUpStarted = 14,
  kCaseRated = 15,
  kCaseReopened = 16,
  kCaseWithdrawn = 17,
  kCaseMerged = 18,
  kCaseClosed = 19,
  kOverdueMarked = 20,
  // Reserved for later versions; no applier yet, so finding one is data loss.
  kMessageAdded = 22,         // a message between resident and handler
  // In use.
  kParkedForDispatcher = 23,  // routing could not place the case or find its holder; a dispatcher must
  kWarningRaised = 21,        // 预逾期: a deadline is near (yellow)
  kCoHandlerReplied = 24,     // one co-handling unit's part of a joint reply (会签)
  kDeadlinesRecomputed = 26,  // an imported calendar moved running deadlines
  kPersonalDataErased = 25,   // the personal values and their salts were deleted
  kDuplicateMergedIn = 27,    // a duplicate was merged into this case
  kCaseLocated = 28,          // a dispatcher corrected where the case is
  kCaseDiscussed = 29,        // the holder took the case up at its meeting
  kCaseReturnedToOwner = 30,  // a dispatcher returned the case to the unit that sent it (退回)
  kCoHandlersAdded = 31,      // the holder brought in more co-handling units after dispatch
  kAnswerRelayed = 32,        // a duplicate's reporter was told the answer its primary gave
};

namespace ev {

// The step a case is at after dispatch, escalation, send-back or reopening.
struct StepAssignment {
  int step = 0;
  std::string step_id;
  Level level = Level::kCompound;
  std::string lead_unit;
  std::vector<std::string> co_handlers;
  // None while nobody holds the step: the holder's time to sign starts when a
  // dispatcher names one.
  std::optional<Timestamp> accept_by;
  // The version of the store's org directory the holders were found in
  // (docs/directory.md, "Versions"); none where the directory was not a stored one.
  std::optional<std::uint64_t> directory_version;
  // Why the directory names nobody for the step, when it does not: the case
  // moves to the step all the same and waits there for a dispatcher (rule 7:
  // never to nobody, never guessed). lead_unit is then empty.
  std::optional<std::string> waiting_for_dispatcher;

  friend bool operator==(const StepAssignment&, const StepAssignment&) = default;
};

// The caller's previous case (重复来电, docs/stats.md "Repeat calls"): the
// latest one opened before by the same phone or account, at the same compound
// and building, in the same category, whatever became of it; and who held it
// when the new call came. It names no one: not personal data.
struct EarlierCall {
  std::string case_id;
  Timestamp opened_at{};
  std::string lead_unit;  // the unit holding it then, or that gave its final reply
  std::string step_id;

  friend bool operator==(const EarlierCall&, const EarlierCall&) = default;
};

struct CaseOpened {
  static constexpr EventType kType = EventType::kCaseOpened;
  std::string case_id;
  RequestType request_type = RequestType::kConsultation;
  Channel channel = Channel::kHotline;
  std::string category;
  Location location;
  bool collective = false;
  bool urgent = false;
  // Personal data (docs/history.md, "Personal data"): reporter, content and
  // location.address are held in memory and in the store's personal record,
  // never in the history. The history holds `commitments`, SHA-256 of each
  // value's salt then the value, made with `salts` (lowercase hex; empty for
  // a value not given). Read back after the data was erased, values and salts are empty.
  Reporter reporter;
  std::string content;
  PersonalFields commitments;
  PersonalFields salts;
  std::string external_id;
  Party owner;
  Timestamp reply_by{};
  // SHA-256 of the workflow version the case follows: a version number is the
  // catalog's, the hash is the content's, so a history names what it ran on.
  std::string workflow_hash;
  std::optional<EarlierCall> earlier_call;  // none for a first call, or without a caller
};
struct CaseDispatched {
  static constexpr EventType kType = EventType::kCaseDispatched;
  StepAssignment to;
};
struct CaseAccepted {
  static constexpr EventType kType = EventType::kCaseAccepted;
  std::string unit;
  Timestamp resolve_by{};
};
struct CaseReplied {
  static constexpr EventType kType = EventType::kCaseReplied;
  Outcome outcome = Outcome::kResolved;
  std::string answer;
  bool on_spot = false;
  // When the follow-up (回访) is owed, where the workflow sets follow_up.ask_within.
  std::optional<Timestamp> follow_up_by;
};
struct CaseReturned {
  static constexpr EventType kType = EventType::kCaseReturned;
  std::string from_unit;
  std::string reason;
};
// A case sent back or reopened owes the resident a reply again: reply_by is the
// deadline running after the event (the old one if it still runs, else a new one).
struct CaseSentBack {
  static constexpr EventType kType = EventType::kCaseSentBack;
  StepAssignment to;
  std::string reason;
  Timestamp reply_by{};
};
struct CaseEscalated {
  static constexpr EventType kType = EventType::kCaseEscalated;
  StepAssignment to;
  // Why: "manual", or the deadline that ran out ("accept", "resolve").
  std::string reason;
};
// An urge may shorten the step's running deadline, when the workflow says so:
// the deadlines after it are recorded (absent when unchanged).
struct CaseUrged {
  static constexpr EventType kType = EventType::kCaseUrged;
  std::string note;
  std::optional<Timestamp> accept_by;
  std::optional<Timestamp> resolve_by;
};
struct CaseHandedOver {
  static constexpr EventType kType = EventType::kCaseHandedOver;
  Party from;
  Party to;
  std::string note;
};
struct CaseSuspended {
  static constexpr EventType kType = EventType::kCaseSuspended;
  std::string reason;
};
// Deadlines that ran before the suspension start again, each with the time it
// had left when the case was suspended (docs/calendar.md, "Time left").
struct CaseResumed {
  static constexpr EventType kType = EventType::kCaseResumed;
  std::optional<Timestamp> accept_by;
  std::optional<Timestamp> resolve_by;
  std::optional<Timestamp> reply_by;
};
struct ExtensionRequested {
  static constexpr EventType kType = EventType::kExtensionRequested;
  Duration extra;
  std::string reason;
};
struct ExtensionDecided {
  static constexpr EventType kType = EventType::kExtensionDecided;
  bool approved = false;
  std::string note;
  // The deadlines after the decision (unchanged when refused).
  std::optional<Timestamp> resolve_by;
  std::optional<Timestamp> reply_by;
};
struct FollowUpStarted {
  static constexpr EventType kType = EventType::kFollowUpStarted;
  Timestamp rating_by{};
};
struct CaseRated {
  static constexpr EventType kType = EventType::kCaseRated;
  Rating rating = Rating::kSatisfied;
  std::string reason;
};
struct CaseReopened {
  static constexpr EventType kType = EventType::kCaseReopened;
  StepAssignment to;
  std::string reason;
  Timestamp reply_by{};
};
struct CaseWithdrawn {
  static constexpr EventType kType = EventType::kCaseWithdrawn;
  std::string reason;
};
struct CaseMerged {
  static constexpr EventType kType = EventType::kCaseMerged;
  std::string into;
};
struct CaseClosed {
  static constexpr EventType kType = EventType::kCaseClosed;
  std::string note;
};
// A deadline ran out and there was no step above to escalate to, or the
// deadline (reply) is not one that escalates: the case is marked overdue (逾期).
struct OverdueMarked {
  static constexpr EventType kType = EventType::kOverdueMarked;
  DeadlineKind kind = DeadlineKind::kAccept;
  Timestamp due{};
};

// One co-handling unit's part of a joint reply; the lead's reply may wait for all.
struct CoHandlerReplied {
  static constexpr EventType kType = EventType::kCoHandlerReplied;
  std::string unit;
  Outcome outcome = Outcome::kResolved;
  std::string answer;
};

// 预逾期: the deadline of `kind`, due at `due`, is near.
struct WarningRaised {
  static constexpr EventType kType = EventType::kWarningRaised;
  DeadlineKind kind = DeadlineKind::kAccept;
  Timestamp due{};
};

// A calendar imported after the deadlines were set took over and moved them:
// each deadline present is the one running after the event, given the time it
// had left (docs/calendar.md, "Importing a notice").
struct DeadlinesRecomputed {
  static constexpr EventType kType = EventType::kDeadlinesRecomputed;
  std::string calendar;  // the version that took over
  Deadlines moved{};      // written flat in JSON: "accept_by", "resolve_by", ...
};

// The case's personal values and their salts were deleted from the store; the
// history keeps the commitments CaseOpened made (docs/history.md, "Erasure").
struct PersonalDataErased {
  static constexpr EventType kType = EventType::kPersonalDataErased;
  std::string reason;
};

// A duplicate (重复件) was merged into this case: the other half of that
// case's CaseMerged, written in the same batch (docs/history.md, "Merging").
struct DuplicateMergedIn {
  static constexpr EventType kType = EventType::kDuplicateMergedIn;
  std::string duplicate;  // the merged case's id
};

// Routing could not place the case (its compound, building or address is not
// in the directory) or found no unit to hold its step: it waits in New for a
// dispatcher (人工分拨), with what routing said. Nothing is guessed.
struct ParkedForDispatcher {
  static constexpr EventType kType = EventType::kParkedForDispatcher;
  std::string reason;
};

// A dispatcher corrected where the case is (定位). `location` is the place as
// the directory completed it, without the address (personal data, which stays
// as the resident gave it); the directory version it was completed by, as on
// a step assignment.
struct CaseLocated {
  static constexpr EventType kType = EventType::kCaseLocated;
  Location location;
  std::string reason;
  std::optional<std::uint64_t> directory_version;
};
struct CaseDiscussed {
  static constexpr EventType kType = EventType::kCaseDiscussed;
  std::string unit;  // whose meeting: the holder's
  std::string note;
};
// A dispatcher returned a case no unit here should handle (an address outside
// the district, a matter of another authority) to the first-contact unit that
// sent it, the hotline for its orders, to be sent on elsewhere. Over here.
struct CaseReturnedToOwner {
  static constexpr EventType kType = EventType::kCaseReturnedToOwner;
  std::string to;  // the case's owner unit when it was returned
  std::string reason;
};
// Units brought in to co-handle the case at its step, after the ones it has.
struct CoHandlersAdded {
  static constexpr EventType kType = EventType::kCoHandlersAdded;
  std::vector<std::string> units;
  std::string reason;
};

// On a duplicate (Merged), when the case it went into answers, or when it is
// merged into a case that has answered: its own reporter is told the same
// answer (事事有答复), written in the same commit as that answer or merge.
struct AnswerRelayed {
  static constexpr EventType kType = EventType::kAnswerRelayed;
  std::string from;     // the case that answered: the primary at the top of the merges
  std::string unit;     // the unit that answered, and its step
  std::string step_id;
  Outcome outcome = Outcome::kResolved;
  std::string answer;
};

}  // namespace ev

using EventPayload =
    std::variant<ev::CaseOpened, ev::CaseDispatched, ev::CaseAccepted, ev::CaseReplied,
                 ev::CaseReturned, ev::CaseSentBack, ev::CaseEscalated, ev::CaseUrged,
                 ev::CaseHandedOver, ev::CaseSuspended, ev::CaseResumed, ev::ExtensionRequested,
                 ev::ExtensionDecided, ev::FollowUpStarted, ev::CaseRated, ev::CaseReopened,
                 ev::CaseWithdrawn, ev::CaseMerged, ev::CaseClosed, ev::OverdueMarked,
                 ev::CoHandlerReplied, ev::WarningRaised, ev::DeadlinesRecomputed,
                 ev::PersonalDataErased, ev::DuplicateMergedIn, ev::ParkedForDispatcher,
                 ev::CaseLocated, ev::CaseDiscussed, ev::CaseReturnedToOwner,
                 ev::CoHandlersAdded, ev::AnswerRelayed>;

struct Event {
  std::uint64_t seq = 0;  // 1-based position in the case's history
  Timestamp time{};
  std::string actor;
  std::string idempotency_key;  // of the command that produced it
  WorkflowRef workflow;
  EventPayload payload;
  // A deadline this event sets reaches into a year with no official notice and
  // was counted Monday to Friday (docs/calendar.md): it may move when the
  // notice comes out. In JSON only when true.
  bool provisional = false;
  // The hash chain (docs/history.md): hash = SHA-256(prev_hash's 32 bytes ‖
  // canonical_bytes(event)), as 64 lowercase hex digits; the first event's
  // prev_hash is kGenesisHash. The engine seals each event as it decides it.
  std::string prev_hash{};
  std::string hash{};
  // The event's place in the store's one log of every case's events, in
  // commit order, from 1; 0 until a store has committed it. The store sets it
  // in the write it commits, so a decision, the engine's cache and the store
  // all give an event the same position.
  std::uint64_t position = 0;
};

// Why the engine moved a case on its own, as its events' reason fields say.
// Written into histories, so a text once written is never changed.
enum class EngineReason : std::uint8_t {
  kAcceptTimeout,     // "accept_timeout": nobody signed for it in time
  kResolveTimeout,    // "resolve_timeout": not handled in time
  kUnresolved,        // "unresolved: " and the holder's answer
  kUnsatisfied,       // "不满意：" and the resident's reason: reopened
  kReopensExhausted,  // "重启次数已满，转" the step's name "：" the reason
  kNoAnswer,          // "回访超时未评价": the follow-up's rating never came
};
// The reason text: `detail` follows the reasons that take one, and `step`
// names the step of kReopensExhausted.
std::string engine_reason(EngineReason reason, std::string_view detail = {}, std::string_view step = {});

// The prev_hash of a case's first event: 32 zero bytes.
inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

EventType event_type(const EventPayload& payload);
// "CaseOpened", ..., also for reserved ids; "Unknown" for ids never assigned.
std::string_view event_type_name(EventType type);

// The event as one JSON object:
// {"seq":1,"time":"...","type":"CaseOpened","actor":"...","key":"...",
//  "workflow":{"id":"...","version":1},"data":{...},"prev_hash":"...","hash":"..."},
// with "provisional":true before "data" when the event says so, "position"
// before "prev_hash" once it has one, and the hashes only once it is sealed.
std::string to_json(const Event& event);
// Only the "data" part, as JSON.
std::string payload_json(const EventPayload& payload);

}  // namespace escalator

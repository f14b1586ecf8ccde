// Commands: what someone asks the engine to do to a case. The lifecycle table
// decides each one against the case's state and yields events or a refusal.
//
// Every command carries an idempotency key: submitting the same key twice to
// the same case yields the first decision again, without deciding anew. For
// Open the key is the external id (hotline order number, WeChat MsgId, ...)
// and is unique across the engine. expected_version, when set, must equal the
// case's version (its number of events) or the command is refused as aborted.
// Commands are plain values: the engine takes them by value and keeps nothing
// that refers back to the caller's copy. Text must be UTF-8.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "escalator/model/case.hpp"
#include "escalator/util/time.hpp"

namespace escalator {
namespace cmd {

// A new case (受理). The engine allocates its id.
struct Open {
  RequestType request_type = RequestType::kConsultation;
  Channel channel = Channel::kHotline;
  std::string category;
  Location location;  // district_code and compound are required
  bool collective = false;
  bool urgent = false;
  Reporter reporter;
  std::string content;
  Party first_contact;  // who received it; owns it until HandOver (首问负责)
  // The deadline the order itself carries (a 12345 order's 办理时限); when
  // absent, the workflow's reply_within from now.
  std::optional<Timestamp> reply_by;
};
// Send to the holder of a workflow step (派单). Empty step: the case's current
// step (the first, for a new case). Empty lead_unit: the org directory names
// the step's holder; otherwise the dispatcher's choice stands, if it sits at
// the step's level. A case returned for wrong jurisdiction is not sent back to
// the unit that returned it.
struct Dispatch {
  std::string lead_unit;
  std::vector<std::string> co_handlers;
  std::string step;
};
struct Accept {};  // 签收
// Answered at once (现场解决现场答复), before or without signing for it.
struct ReplyOnSpot {
  Outcome outcome = Outcome::kResolved;
  std::string answer;
};
struct Reply {  // 回复
  Outcome outcome = Outcome::kResolved;
  std::string answer;
};
struct Return {  // 退回: not ours (wrong jurisdiction); back to routing
  std::string reason;
};
struct SendBack {  // 发回重办 to a chosen step the case has already been at
  std::string to_step;  // a step id of the case's workflow
  std::string reason;
};
struct Escalate {  // up one step of the workflow
  std::string reason;
};
struct Urge {  // 催办 / 督办
  std::string note;
};
struct HandOver {  // first-contact ownership passes explicitly
  Party to;
  std::string note;
};
struct Suspend {
  std::string reason;
};
struct Resume {};
struct RequestExtension {  // 延期申请, before the deadline passes
  Duration extra;
  std::string reason;
};
struct DecideExtension {
  bool approved = false;
  std::string note;
};
struct FollowUp {};  // 回访: the resident is asked; the rating deadline starts
struct Rate {
  Rating rating = Rating::kSatisfied;
  std::string reason;  // 不满意原因
};
struct Reopen {  // 重启
  std::string reason;
};
struct Withdraw {  // 撤单, at the resident's wish
  std::string reason;
};
struct Merge {  // a duplicate of another case
  std::string into;
};
struct Close {  // 办结
  std::string note;
};
// Timeouts, one per deadline kind. `due` is the deadline the timer was set for:
// a timer for a deadline that has since moved is refused, so firing is idempotent.
struct AcceptTimeout {
  Timestamp due;
};
struct ResolveTimeout {
  Timestamp due;
};
struct ReplyTimeout {
  Timestamp due;
};
struct RatingTimeout {
  Timestamp due;
};
struct FollowUpTimeout {
  Timestamp due;
};

// One co-handling unit's part of a joint reply (会签).
struct CoHandlerReply {
  std::string unit;
  Outcome outcome = Outcome::kResolved;
  std::string answer;
};

// A 预逾期 warning: the deadline of `kind`, due at `due`, is near. Timers send
// it at the time the workflow's warn_before says; it is refused before then,
// once the deadline has moved, and when the case was already warned of it.
struct RaiseWarning {
  DeadlineKind kind = DeadlineKind::kAccept;
  Timestamp due;
};

// A new calendar took over (an imported notice, docs/calendar.md): the
// running deadlines it moves, each given the time it had left. The engine
// sends it when it brings cases up to an imported calendar and computes the
// deadlines itself, since a decision sees one calendar and this one compares two.
struct RecomputeDeadlines {
  std::string calendar;  // the version taking over: Calendar::version()
  Deadlines moved{};      // the running deadlines after it; the others stay
};

// Erases the resident's personal data (docs/history.md, "Erasure"): the
// store deletes the values and their salts, and the history keeps only the
// commitments. Only once the case is over: closed, withdrawn, merged or returned.
struct ErasePersonalData {
  std::string reason;  // "retention period ended", "the resident asked (PIPL art. 47)"
};

// A dispatcher corrects where the case is (定位): a compound or building of the
// org directory, in the case's district; the directory fills in the grid,
// community and street. The holders the case has are kept: the place is what
// routing asks from the next dispatch or escalation on. The resident's
// address text is the resident's words and stays as given.
struct Locate {
  std::string compound;
  std::string building;
  std::string reason;  // "居民所说新建小区即金桂苑二期"
};

// The unit holding the case takes it up at its meeting today (上会议事): the
// four-party council's gathering of issues (集中议事, rule 6), or any holder's.
// Meetings are counted per unit and day (docs/stats.md, "Meetings").
struct Discuss {
  std::string note;  // what the meeting made of it: "议定由维修资金列支，下周施工"
};

// The holder brings in more units to handle the case with it (协办) after
// dispatch: a council that meets and decides on volunteer guards adds the
// volunteer team, the owners' committee or a government department (rule 2's
// mobilising, rule 6's 及时办事). They answer their part before the joint reply
// (会签), as co-handlers named at dispatch do.
struct AddCoHandlers {
  std::vector<std::string> units;
  std::string reason;  // "议事会议定设立护学岗，由志愿服务队值守"
};

}  // namespace cmd

using CommandPayload =
    std::variant<cmd::Open, cmd::Dispatch, cmd::Accept, cmd::ReplyOnSpot, cmd::Reply, cmd::Return,
                 cmd::SendBack, cmd::Escalate, cmd::Urge, cmd::HandOver, cmd::Suspend, cmd::Resume,
                 cmd::RequestExtension, cmd::DecideExtension, cmd::FollowUp, cmd::Rate, cmd::Reopen,
                 cmd::Withdraw, cmd::Merge, cmd::Close, cmd::AcceptTimeout, cmd::ResolveTimeout,
                 cmd::ReplyTimeout, cmd::RatingTimeout, cmd::CoHandlerReply,
                 cmd::RaiseWarning, cmd::FollowUpTimeout, cmd::RecomputeDeadlines,
                 cmd::ErasePersonalData, cmd::Locate, cmd::Discuss, cmd::AddCoHandlers>;

inline constexpr int kCommandKindCount = std::variant_size_v<CommandPayload>;

struct Command {
  std::string case_id;  // empty for Open
  std::string idempotency_key;
  std::optional<std::uint64_t> expected_version;
  std::string actor;  // who asks: a staff, unit or system id, never personal data
  CommandPayload payload;
  // What the engine's log lines about this command carry as "request_id", so
  // that they can be joined to the request that asked (an HTTP request's
  // X-Request-Id, an adapter's message id). Never stored, never decided on.
  std::string request_id{};
};

// "open", "dispatch", "reply_on_spot", ..., "rating_timeout".
std::string_view command_name(const CommandPayload& payload);
std::string_view command_name(int kind_index);

}  // namespace escalator

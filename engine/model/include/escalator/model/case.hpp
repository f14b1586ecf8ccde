// A case as the engine keeps it: the vocabulary of 12345 practice and the
// snapshot that appliers build from a case's events.
//
// CaseState is plain data. It is derived entirely from the case's events (see
// event.hpp): replaying the events through the appliers yields an equal
// CaseState, which is what `audit` checks. Copies are independent.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "escalator/util/result.hpp"
#include "escalator/util/time.hpp"

namespace escalator {

// Where a case is in its life. The lifecycle table (docs/lifecycle.md) says
// which command is allowed in which state.
enum class LifecycleState : std::uint8_t {
  kNew,             // opened, not yet dispatched (or returned to routing)
  kDispatched,      // sent to the holder of a step, not yet signed for (签收)
  kAccepted,        // signed for and being handled
  kReplied,         // the resident has been answered; follow-up (回访) not begun
  kAwaitingRating,  // the resident has been asked how satisfied they are
  kRated,           // the resident's rating is in; ready to close
  kClosed,          // 办结
  kSuspended,       // handling paused (挂起); deadlines do not run
  kWithdrawn,       // the resident withdrew the request (撤单)
  kMerged,          // a duplicate, merged into another case
  kReturned,        // returned (退回) to the first-contact unit that sent it: not this district's to handle
};
inline constexpr int kLifecycleStateCount = 11;

// 诉求类型
enum class RequestType : std::uint8_t { kConsultation, kHelp, kComplaint, kReport, kSuggestion };
// 来源
enum class Channel : std::uint8_t { kHotline, kWeChat, kWeCom, kMiniProgram, kWalkIn, kVisit, kDevice, kOpen311 };
// 办理结果
enum class Outcome : std::uint8_t { kResolved, kPartlyResolved, kUnresolved };
// 满意度. kNoAnswer: the follow-up reached nobody before the rating deadline.
enum class Rating : std::uint8_t { kSatisfied, kBasicallySatisfied, kUnsatisfied, kNoAnswer };
// The administrative ladder, from the building up.
enum class Level : std::uint8_t { kBuilding, kCompound, kGrid, kCommunity, kStreet, kDistrict };
// Which deadline a timer or an overdue mark is about.
// kFollowUp: the follow-up call (回访) owed after the reply.
enum class DeadlineKind : std::uint8_t { kAccept, kResolve, kReply, kRating, kFollowUp };
inline constexpr DeadlineKind kEveryDeadlineKind[] = {DeadlineKind::kAccept, DeadlineKind::kResolve,
                                                      DeadlineKind::kReply, DeadlineKind::kRating,
                                                      DeadlineKind::kFollowUp};

// A case's warning colour (预警): red once a deadline it runs has passed, or
// while it is open with a deadline missed; yellow once it has been warned of
// a running deadline (预逾期); green otherwise, and for a case that is over.
enum class WarningColour : std::uint8_t { kGreen, kYellow, kRed };

// One optional instant per deadline kind: the deadlines a recomputation moves.
struct Deadlines {
  std::optional<Timestamp> accept_by{};
  std::optional<Timestamp> resolve_by{};
  std::optional<Timestamp> reply_by{};
  std::optional<Timestamp> rating_by{};
  std::optional<Timestamp> follow_up_by{};

  std::optional<Timestamp>& of(DeadlineKind kind) {
    switch (kind) {
      case DeadlineKind::kAccept: return accept_by;
      case DeadlineKind::kResolve: return resolve_by;
      case DeadlineKind::kReply: return reply_by;
      case DeadlineKind::kRating: return rating_by;
      case DeadlineKind::kFollowUp: return follow_up_by;
    }
    return accept_by;
  }
  const std::optional<Timestamp>& of(DeadlineKind kind) const { return const_cast<Deadlines*>(this)->of(kind); }
  friend bool operator==(const Deadlines&, const Deadlines&) = default;
};

// Stable English names ("awaiting_rating", "complaint", "hotline", ...) used in
// events, scenarios, configuration and APIs; parse_* accept them and, where users
// are Chinese, the Chinese label too ("投诉", "12345热线"), and return
// kInvalidArgument listing what they accept for anything else. All are pure
// functions, safe from any thread.
std::string_view to_string(LifecycleState s);
std::string_view to_string(RequestType t);
std::string_view to_string(Channel c);
std::string_view to_string(Outcome o);
std::string_view to_string(Rating r);
std::string_view to_string(Level l);
std::string_view to_string(DeadlineKind k);
std::string_view to_string(WarningColour c);
std::string_view label_zh(LifecycleState s);
// "New", "AwaitingRating": a state as refusals and docs/lifecycle.md name it.
std::string_view title_of(LifecycleState s);
std::string_view label_zh(RequestType t);
std::string_view label_zh(Outcome o);
std::string_view label_zh(Rating r);
std::string_view label_zh(Level l);
std::string_view label_zh(DeadlineKind k);
std::string_view label_zh(WarningColour c);
[[nodiscard]] Result<LifecycleState> parse_lifecycle_state(std::string_view text);
[[nodiscard]] Result<RequestType> parse_request_type(std::string_view text);
[[nodiscard]] Result<Channel> parse_channel(std::string_view text);
[[nodiscard]] Result<Outcome> parse_outcome(std::string_view text);
[[nodiscard]] Result<Rating> parse_rating(std::string_view text);
[[nodiscard]] Result<DeadlineKind> parse_deadline_kind(std::string_view text);
[[nodiscard]] Result<WarningColour> parse_warning_colour(std::string_view text);
[[nodiscard]] Result<Level> parse_level(std::string_view text);

// Where the matter is. district_code is the 6-digit administrative division
// code (370811 is 任城区, 济宁市); the rest name units of the org directory,
// except address: the room or door below the building, which is personal data.
struct Location {
  std::string district_code;
  std::string street;
  std::string community;
  std::string grid;
  std::string compound;
  std::string building;
  std::string address;

  friend bool operator==(const Location&, const Location&) = default;
};

// A unit of the org directory, and optionally the person acting for it.
struct Party {
  std::string unit;    // unit id in the org directory
  std::string person;  // staff id, never a name or phone number; may be empty

  friend bool operator==(const Party&, const Party&) = default;
  bool empty() const { return unit.empty() && person.empty(); }
};

// The resident who reported the matter: personal data (docs/history.md,
// "Personal data"), kept out of logs and out of the hashed history.
struct Reporter {
  std::string name;
  std::string phone;
  std::string account;  // the resident's id on the channel: a WeChat openid, a WeCom userid

  friend bool operator==(const Reporter&, const Reporter&) = default;
};

// A phone number as one caller: its digits only, and a mainland number
// without its country code, so that "+86 138-0000-0000" and "13800000000"
// are the same caller for repeat calls and for erasure. Empty when it holds
// no digit.
std::string caller_phone(std::string_view phone);

// Whether `resident` names the reporter: their phone, however either is
// written, or their channel account exactly as recorded.
bool names_reporter(const Reporter& reporter, std::string_view resident);

// One text for each piece of a case's personal data: the reporter's name,
// phone and account, the address below building level (Location::address) and
// the complaint's content. It holds either the commitments the history keeps
// in place of the values, or the salts they were made with (docs/history.md).
struct PersonalFields {
  std::string reporter_name;
  std::string reporter_phone;
  std::string reporter_account;
  std::string address;
  std::string content;

  friend bool operator==(const PersonalFields&, const PersonalFields&) = default;
};

// A workflow version a case was started on; a case stays on it for life.
struct WorkflowRef {
  std::string id;
  int version = 0;

  friend bool operator==(const WorkflowRef&, const WorkflowRef&) = default;
};

// A deadline the case has been warned of (预逾期).
struct DeadlineWarning {
  DeadlineKind kind = DeadlineKind::kAccept;
  Timestamp due{};

  friend bool operator==(const DeadlineWarning&, const DeadlineWarning&) = default;
};

struct CaseState {
  std::string id;  // "370811-20250930-000017"
  LifecycleState state = LifecycleState::kNew;
  std::uint64_t version = 0;  // number of events applied

  // What was reported (set once, by CaseOpened).
  RequestType request_type = RequestType::kConsultation;
  Channel channel = Channel::kHotline;
  std::string category;  // "物业/漏水": levels of the category tree joined by '/'
  Location location;
  bool collective = false;  // a matter for many residents: parking, lifts, garbage
  bool urgent = false;
  // Personal data: reporter, content and location.address. The snapshot the
  // store keeps holds `personal`, the history's commitments to them, instead.
  Reporter reporter;
  std::string content;  // 诉求内容
  PersonalFields personal;
  std::string external_id;  // hotline order number, WeChat MsgId, ...
  WorkflowRef workflow;
  std::string workflow_hash;  // the content of that version (SHA-256)
  Timestamp opened_at{};

  // Who answers for it.
  Party owner;  // first contact (首问负责) until an explicit hand-over
  int step = -1;  // index of the workflow step holding the case; -1 before dispatch
  std::string step_id;
  Level level = Level::kCompound;
  std::string lead_unit;
  std::vector<std::string> co_handlers;
  std::vector<std::string> co_replied;  // co-handling units that have replied at this step
  std::vector<int> steps_visited;  // in order; SendBack may go to any of them
  std::string returned_by;  // the unit that last returned it as not its own; cleared on dispatch
  // Why routing could not place it or find its holder (ParkedForDispatcher):
  // it waits for a dispatcher. Cleared on dispatch.
  std::optional<std::string> waiting_for_dispatcher;

  // Deadlines that are running; absent when not running.
  std::optional<Timestamp> accept_by;
  std::optional<Timestamp> resolve_by;
  std::optional<Timestamp> reply_by;  // the case's reply deadline (限期答复)
  std::optional<Timestamp> rating_by;
  std::optional<Timestamp> follow_up_by;  // the follow-up owed after the reply (回访时限)
  std::vector<DeadlineKind> overdue;  // deadlines missed, in the order missed
  std::vector<DeadlineWarning> warned;  // running deadlines warned of (预逾期)
  int warnings = 0;  // warnings raised over the case's life

  // Suspension and extension.
  LifecycleState suspended_from = LifecycleState::kNew;
  std::optional<Timestamp> suspended_at;
  std::optional<Duration> extension_requested;

  // The answer and what the resident thought of it.
  std::optional<Outcome> outcome;
  std::string answer;
  bool answered_on_spot = false;
  std::optional<Rating> rating;
  std::string merged_into;
  std::vector<std::string> duplicates;  // cases merged into this one, in the order merged

  // Counters supervisors watch (催办次数, 退回, 延期, 重启, ...).
  int urges = 0;
  int escalations = 0;
  int returns = 0;
  int send_backs = 0;
  int extensions_granted = 0;
  int reopens = 0;

  Timestamp updated_at{};
  std::optional<Timestamp> closed_at;
  // When the personal values were erased (PersonalDataErased); they are empty since.
  std::optional<Timestamp> personal_data_erased_at;

  friend bool operator==(const CaseState&, const CaseState&) = default;
};

// The deadline of `kind` if it runs in the case's state: reply while New,
// Dispatched or Accepted; accept while Dispatched; resolve while Accepted;
// rating while AwaitingRating; follow-up while Replied. None runs while
// Suspended.
std::optional<Timestamp> running_deadline(const CaseState& k, DeadlineKind kind);

// Closed, withdrawn, merged or returned: nobody holds it any more.
bool is_over(LifecycleState s);

// The running deadline that falls first, and its kind; none when none runs.
struct NearestDeadline {
  DeadlineKind kind = DeadlineKind::kAccept;
  Timestamp due{};
};
std::optional<NearestDeadline> nearest_deadline(const CaseState& k);

// The case's colour at `now` (see WarningColour).
WarningColour warning_colour(const CaseState& k, Timestamp now);

}  // namespace escalator

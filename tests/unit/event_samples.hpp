// Events and snapshots for the reader tests: one of each payload and a case
// with every field set, each field different from its default, so that a
// field a reader forgot would come back changed.
#pragma once

#include <boost/pfr.hpp>
#include <chrono>
#include <cstddef>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "escalator/model/event.hpp"
#include "event_json.hpp"

namespace escalator::testing {

using namespace std::chrono_literals;

// 2025-09-30 09:00 China Standard Time.
constexpr Timestamp kT0{std::chrono::sys_days{std::chrono::September / 30 / 2025} + 1h};

inline ev::StepAssignment sample_step() {
  return {.step = 2,
          .step_id = "grid",
          .level = Level::kGrid,
          .lead_unit = "yangguang-1.station",
          .co_handlers = {"yangguang.office", "yangguang-garden.property"},
          .accept_by = kT0 + 24h};
}

// One of each payload type, every field different from its default, so that a
// field the reader forgot would come back changed.
inline std::vector<EventPayload> every_payload() {
  return {
      ev::CaseOpened{
          .case_id = "370811-20250930-000017",
          .request_type = RequestType::kComplaint,
          .channel = Channel::kWeChat,
          .category = "物业/漏水",
          .location = {"370811", "jiyang", "yangguang", "yangguang-1", "heping-li", "3号楼", ""},
          .collective = true,
          .urgent = true,
          .reporter = {},
          .content = {},
          .commitments = {"c-name", "c-phone", "c-account", "c-address", "c-content"},
          .salts = {},
          .external_id = "GD-20250930-0017",
          .owner = {"yangguang-garden.branch", "staff-9"},
          .reply_by = kT0 + 21 * 24h,
          .workflow_hash = "5d41402abc4b2a76b9719d911017c592",
          .earlier_call = ev::EarlierCall{"370811-20250920-000003", kT0 - 10 * 24h,
                                          "heping-li.property", "property"}},
      ev::CaseDispatched{.to = sample_step()},
      ev::CaseAccepted{.unit = "heping-li.property", .resolve_by = kT0 + 72h},
      ev::CaseReplied{.outcome = Outcome::kPartlyResolved,
                      .answer = "已修复一半",
                      .on_spot = true,
                      .follow_up_by = kT0 + 48h},
      ev::CaseReturned{.from_unit = "heping-li.property", .reason = "不属本辖区"},
      ev::CaseSentBack{.to = sample_step(), .reason = "未处理到位", .reply_by = kT0 + 30 * 24h},
      ev::CaseEscalated{.to = sample_step(), .reason = "accept"},
      ev::CaseUrged{.note = "请尽快", .accept_by = kT0 + 2h, .resolve_by = kT0 + 5h},
      ev::CaseHandedOver{.from = {"a.unit", "p1"}, .to = {"b.unit", "p2"}, .note = "换人"},
      ev::CaseSuspended{.reason = "等待配件"},
      ev::CaseResumed{.accept_by = kT0 + 1h, .resolve_by = kT0 + 2h, .reply_by = kT0 + 3h},
      ev::ExtensionRequested{.extra = {5, Duration::Unit::kWorkingDays}, .reason = "需要协调"},
      ev::ExtensionDecided{
          .approved = true, .note = "同意", .resolve_by = kT0 + 4h, .reply_by = kT0 + 5h},
      ev::FollowUpStarted{.rating_by = kT0 + 72h},
      ev::CaseRated{.rating = Rating::kUnsatisfied, .reason = "没修好"},
      ev::CaseReopened{.to = sample_step(), .reason = "居民不满意", .reply_by = kT0 + 30 * 24h},
      ev::CaseWithdrawn{.reason = "自行解决"},
      ev::CaseMerged{.into = "370811-20250930-000001"},
      ev::CaseClosed{.note = "办结"},
      ev::OverdueMarked{.kind = DeadlineKind::kReply, .due = kT0 + 6h},
      ev::CoHandlerReplied{
          .unit = "yangguang.office", .outcome = Outcome::kPartlyResolved, .answer = "社区已协调"},
      ev::WarningRaised{.kind = DeadlineKind::kResolve, .due = kT0 + 7h},
      ev::DeadlinesRecomputed{.calendar = "official 2015-2026 (2025-11-04) + import 1 (2026-01-27)",
                              .moved = {.accept_by = kT0 + 8h,
                                        .resolve_by = kT0 + 9h,
                                        .reply_by = kT0 + 10h,
                                        .rating_by = kT0 + 11h,
                                        .follow_up_by = kT0 + 12h}},
      ev::PersonalDataErased{.reason = "保存期满"},
      ev::DuplicateMergedIn{.duplicate = "370811-20250930-000002"},
      ev::ParkedForDispatcher{
          .reason = "location.address: matches no entry of the directory's address table"},
      ev::CaseLocated{.location = {"370811", "jiyang", "shuguang", "shuguang-2", "jingui-yuan",
                                   "jingui-yuan-7", ""},
                      .reason = "居民所报新建小区即金桂苑",
                      .directory_version = 4},
      ev::CaseDiscussed{.unit = "yangguang-garden.council", .note = "议定由维修资金列支，下周施工"},
      ev::CaseReturnedToOwner{.to = "hotline.12345", .reason = "地址属历下区，不属本区管辖"},
      ev::CoHandlersAdded{.units = {"yangguang.volunteers", "yangguang-garden.owners"}, .reason = "议事会议定设立护学岗"},
      ev::AnswerRelayed{.from = "370811-20251111-000001", .unit = "yangguang-garden.property", .step_id = "property",
                        .outcome = Outcome::kPartlyResolved, .answer = "已划定临时车位"},
  };
}

template <typename T>
bool every_field_set(const T& value) {
  const T blank{};
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    return ((boost::pfr::get<I>(value) != boost::pfr::get<I>(blank)) && ...);
  }
  (std::make_index_sequence<boost::pfr::tuple_size_v<T>>{});
}

// Every field but the personal values and their salts, which no record holds
// (personal_data.hpp): those are set here so that every_field_set looks past them.
template <typename T>
bool every_recorded_field_set(T value) {
  if constexpr (std::is_same_v<T, ev::CaseOpened>) {
    value.reporter = {"n", "p", "a"};
    value.content = "c";
    value.salts = {"1", "2", "3", "4", "5"};
  }
  if constexpr (std::is_same_v<T, CaseState>) {
    value.reporter = {"n", "p", "a"};
    value.content = "c";
  }
  return every_field_set(value);
}

inline Event event_with(EventPayload payload) {
  return Event{.seq = 7,
               .time = kT0,
               .actor = "staff-9",
               .idempotency_key = "key-7",
               .workflow = {"property-first", 1},
               .payload = std::move(payload)};
}

inline Result<Event> read_text(const std::string& text) {
  return event_from_json(EventJson::parse(text));
}

// Every field different from its default, so a field the reader forgot
// would come back changed.
inline CaseState every_field_case() {
  CaseState k;
  k.id = "370811-20250930-000017";
  k.state = LifecycleState::kSuspended;
  k.version = 12;
  k.request_type = RequestType::kComplaint;
  k.channel = Channel::kWeChat;
  k.category = "物业/漏水";
  k.location = {"370811", "jiyang", "yangguang", "yangguang-1", "heping-li", "3号楼", ""};
  k.collective = true;
  k.urgent = true;
  k.personal = {"c-name", "c-phone", "c-account", "c-address", "c-content"};
  k.external_id = "GD-20250930-0017";
  k.workflow = {"property-first", 3};
  k.workflow_hash = "5d41402abc4b2a76b9719d911017c592";
  k.opened_at = kT0;
  k.owner = {"hotline.12345", "operator-07"};
  k.step = 2;
  k.step_id = "grid";
  k.level = Level::kGrid;
  k.lead_unit = "yangguang-1.station";
  k.co_handlers = {"yangguang.office"};
  k.co_replied = {"yangguang.office"};
  k.steps_visited = {0, 1, 2};
  k.returned_by = "heping-li.property";
  k.waiting_for_dispatcher =
      "No unit holds role 'property_company' for compound 'heping-li' on 2027-01-01, nor any "
      "fallback";
  k.accept_by = kT0 + 1h;
  k.resolve_by = kT0 + 2h;
  k.reply_by = kT0 + 3h;
  k.rating_by = kT0 + 4h;
  k.follow_up_by = kT0 + 5h;
  k.overdue = {DeadlineKind::kAccept, DeadlineKind::kFollowUp};
  k.warned = {{DeadlineKind::kResolve, kT0 + 2h}};
  k.warnings = 2;
  k.suspended_from = LifecycleState::kAccepted;
  k.suspended_at = kT0 + 6h;
  k.extension_requested = Duration{3, Duration::Unit::kWorkingDays};
  k.outcome = Outcome::kPartlyResolved;
  k.answer = "已修复一半";
  k.answered_on_spot = true;
  k.rating = Rating::kBasicallySatisfied;
  k.merged_into = "370811-20250930-000001";
  k.duplicates = {"370811-20250930-000002"};
  k.urges = 1;
  k.escalations = 2;
  k.returns = 3;
  k.send_backs = 4;
  k.extensions_granted = 5;
  k.reopens = 6;
  k.updated_at = kT0 + 7h;
  k.closed_at = kT0 + 8h;
  k.personal_data_erased_at = kT0 + 9h;
  return k;
}

}  // namespace escalator::testing

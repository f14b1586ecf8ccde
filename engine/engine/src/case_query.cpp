// Engine::find_cases and Engine::inbox: a page of cases read off one of the
// store's case lists and checked against the rest of the query.
#include <algorithm>

#include "engine_impl.hpp"
#include "store_layout.hpp"

namespace escalator {
namespace {

namespace layout = store_layout;

struct ListChoice {
  std::string_view list;
  std::string value;
};

// The list the query names that is likely shortest: a holder or a place
// before a step or category, a rare colour before a state, and the order of
// opening when nothing else is named.
ListChoice list_for(const CaseQuery& q) {
  if (!q.unit.empty()) return {"unit", q.unit};
  if (!q.compound.empty()) return {"compound", q.compound};
  if (!q.grid.empty()) return {"grid", q.grid};
  if (!q.community.empty()) return {"community", q.community};
  if (!q.street.empty()) return {"street", q.street};
  if (!q.step.empty()) return {"step", q.step};
  if (!q.category.empty()) return {"category", q.category};
  if (q.colour && *q.colour != WarningColour::kGreen) return {"colour", std::string(to_string(*q.colour))};
  if (q.overdue && *q.overdue) return {"overdue", "yes"};
  if (q.state) return {"state", std::string(to_string(*q.state))};
  if (q.colour) return {"colour", std::string(to_string(*q.colour))};
  if (q.level) return {"level", std::string(to_string(*q.level))};
  if (q.channel) return {"channel", std::string(to_string(*q.channel))};
  if (q.overdue) return {"overdue", "no"};
  return {"opened", ""};
}

bool in_category(const std::string& category, const std::string& wanted) {
  return category == wanted || (category.starts_with(wanted) && category[wanted.size()] == '/');
}

bool matches(const CaseQuery& q, const CaseState& k) {
  return (!q.state || k.state == *q.state) && (q.step.empty() || k.step_id == q.step) &&
         (!q.level || (k.step >= 0 && k.level == *q.level)) && (q.unit.empty() || k.lead_unit == q.unit) &&
         (q.street.empty() || k.location.street == q.street) &&
         (q.community.empty() || k.location.community == q.community) &&
         (q.grid.empty() || k.location.grid == q.grid) && (q.compound.empty() || k.location.compound == q.compound) &&
         (q.category.empty() || in_category(k.category, q.category)) && (!q.channel || k.channel == *q.channel) &&
         (!q.colour || (!is_over(k.state) && warning_colour(k, k.updated_at) == *q.colour)) &&
         (!q.overdue || k.overdue.empty() != *q.overdue) && (!q.opened_from || k.opened_at >= *q.opened_from) &&
         (!q.opened_before || k.opened_at < *q.opened_before);
}

// "unit:6c6f…": the list a page was read from, and the position it ended at, in hex.
std::string cursor_of(std::string_view list, std::string_view position) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string cursor(list);
  cursor += ':';
  for (unsigned char c : position) {
    cursor += kHex[c >> 4];
    cursor += kHex[c & 15];
  }
  return cursor;
}

Result<std::string> position_of(std::string_view cursor, std::string_view list) {
  const auto invalid = [&] {
    return fail(ErrorCode::kInvalidArgument,
                "cursor: '" + std::string(cursor) + "' is not a cursor of this search; use a page's next_cursor "
                "with the same filters");
  };
  if (!cursor.starts_with(list) || cursor.size() <= list.size() || cursor[list.size()] != ':') return invalid();
  const auto hex = cursor.substr(list.size() + 1);
  if (hex.empty() || hex.size() % 2 != 0) return invalid();
  std::string position;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    int value = 0;
    for (char c : hex.substr(i, 2)) {
      const int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
      if (digit < 0) return invalid();
      value = value * 16 + digit;
    }
    position.push_back(static_cast<char>(value));
  }
  return position;
}

Result<void> check_limit(std::size_t limit) {
  if (limit >= 1 && limit <= kMaxPage) return {};
  return fail(ErrorCode::kInvalidArgument,
              "limit: expected 1 to " + std::to_string(kMaxPage) + ", but got " + std::to_string(limit));
}

// Reads `list` under `value` from `after`, giving each case to `take` until
// it says the page is full or the list ends, at most kMaxExamined entries.
// The position to resume from; none when the list has ended.
template <class Take>
Result<std::optional<std::string>> walk(const CaseStore& store, std::string_view list, std::string_view value,
                                        std::string after, Take take) {
  for (std::size_t examined = 0; examined < kMaxExamined;) {
    const std::size_t asked = std::min<std::size_t>(256, kMaxExamined - examined);
    auto hits = store.scan_list(list, value, after, asked);
    if (!hits) return tl::unexpected(hits.error());
    for (const auto& hit : *hits) {
      ++examined;
      after = hit.position;
      auto more = take(hit.case_id);
      if (!more) return tl::unexpected(more.error());
      if (!*more) return std::optional<std::string>(after);
    }
    if (hits->size() < asked) return std::optional<std::string>();
  }
  return std::optional<std::string>(after);
}

}  // namespace

Result<CasePage> Engine::find_cases(const CaseQuery& query) const {
  if (auto checked = check_limit(query.limit); !checked) return tl::unexpected(checked.error());
  const auto choice = list_for(query);
  std::string after;
  if (!query.cursor.empty()) {
    auto position = position_of(query.cursor, choice.list);
    if (!position) return tl::unexpected(position.error());
    after = std::move(*position);
  } else if (choice.list == "opened" && query.opened_from) {
    layout::put_instant(after, *query.opened_from);  // every entry from that instant on sorts after it
  }
  CasePage page;
  bool past_the_end = false;
  auto resume = walk(*impl_->options.store, choice.list, choice.value, after,
                     [&](const std::string& id) -> Result<bool> {
                       auto k = get(id);
                       if (!k) return k.error().code == ErrorCode::kNotFound ? Result<bool>(true)
                                                                              : tl::unexpected(k.error());
                       if (choice.list == "opened" && query.opened_before && k->opened_at >= *query.opened_before) {
                         past_the_end = true;
                         return false;
                       }
                       if (matches(query, *k)) page.cases.push_back(std::move(*k));
                       return page.cases.size() < query.limit;
                     });
  if (!resume) return tl::unexpected(resume.error());
  if (*resume && !past_the_end) page.next_cursor = cursor_of(choice.list, **resume);
  return page;
}

Result<InboxPage> Engine::inbox(const std::string& unit, const std::string& cursor, std::size_t limit) const {
  if (auto checked = check_limit(limit); !checked) return tl::unexpected(checked.error());
  if (unit.empty()) return fail(ErrorCode::kInvalidArgument, "unit: required: whose inbox");
  std::string after;
  if (!cursor.empty()) {
    auto position = position_of(cursor, "inbox");
    if (!position) return tl::unexpected(position.error());
    after = std::move(*position);
  }
  const Timestamp now = impl_->options.clock->now();
  const auto in_force = impl_->calendar_now();
  const auto& calendar = *in_force;
  InboxPage page;
  auto resume = walk(*impl_->options.store, "inbox", unit, after, [&](const std::string& id) -> Result<bool> {
    auto k = get(id);
    if (!k) return k.error().code == ErrorCode::kNotFound ? Result<bool>(true) : tl::unexpected(k.error());
    if (is_over(k->state) || k->lead_unit != unit) return true;
    InboxEntry entry{std::move(*k), {}, {}, {}};
    entry.deadline = nearest_deadline(entry.state);
    if (entry.deadline) {
      const auto due = entry.deadline->due;
      entry.working_time_left = due >= now ? calendar.working_time(now, due) : -calendar.working_time(due, now);
    }
    entry.colour = warning_colour(entry.state, now);
    page.entries.push_back(std::move(entry));
    return page.entries.size() < limit;
  });
  if (!resume) return tl::unexpected(resume.error());
  if (*resume) page.next_cursor = cursor_of("inbox", **resume);
  return page;
}

}  // namespace escalator

#include "escalator/store/case_lists.hpp"

#include <algorithm>

#include "store_layout.hpp"

namespace escalator {

namespace layout = store_layout;

std::vector<std::string> case_list_entries(const CaseState& k) {
  std::vector<std::string> entries;
  const auto add = [&](std::string_view list, std::string_view value) {
    if (!value.empty()) entries.push_back(layout::list_prefix(list, value) + k.id);
  };
  add("state", to_string(k.state));
  add("step", k.step_id);
  if (k.step >= 0) add("level", to_string(k.level));
  add("unit", k.lead_unit);
  add("street", k.location.street);
  add("community", k.location.community);
  add("grid", k.location.grid);
  add("compound", k.location.compound);
  // Each level of the category tree, so that a list of 物业 holds 物业/漏水 too.
  for (auto end = k.category.find('/');; end = k.category.find('/', end + 1)) {
    add("category", std::string_view(k.category).substr(0, end));
    if (end == std::string::npos) break;
  }
  add("channel", to_string(k.channel));
  add("overdue", k.overdue.empty() ? "no" : "yes");
  std::string opened = layout::list_prefix("opened", "");
  layout::put_instant(opened, k.opened_at);
  entries.push_back(opened + k.id);
  if (!is_over(k.state)) {
    add("colour", to_string(warning_colour(k, k.updated_at)));
    if (!k.lead_unit.empty()) {
      const auto nearest = nearest_deadline(k);
      std::string inbox = layout::list_prefix("inbox", k.lead_unit);
      layout::put_instant(inbox, nearest ? nearest->due : Timestamp::max());
      entries.push_back(inbox + k.id);
    }
  }
  std::sort(entries.begin(), entries.end());
  entries.erase(std::unique(entries.begin(), entries.end()), entries.end());
  return entries;
}

Result<void> layout::known_list(std::string_view list) {
  for (auto known : kCaseLists) {
    if (known == list) return {};
  }
  std::string names;
  for (auto known : kCaseLists) names += (names.empty() ? "" : ", ") + std::string(known);
  return fail(ErrorCode::kInvalidArgument, "list: expected one of " + names + ", but got '" + std::string(list) + "'");
}

}  // namespace escalator

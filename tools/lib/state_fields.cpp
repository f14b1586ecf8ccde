#include "state_fields.hpp"

#include <functional>
#include <map>

namespace escalator {
namespace {

std::string time_or_none(const std::optional<Timestamp>& t) { return t ? format_time(*t) : "none"; }

template <class T>
std::string name_or_none(const std::optional<T>& v) {
  return v ? std::string(to_string(*v)) : "none";
}

std::string list_or_none(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : ",") + item;
  return text.empty() ? "none" : text;
}

using Reader = std::function<std::string(const CaseState&)>;

const std::map<std::string, Reader>& readers() {
  static const std::map<std::string, Reader> r = {
      {"state", [](const CaseState& k) { return std::string(to_string(k.state)); }},
      {"version", [](const CaseState& k) { return std::to_string(k.version); }},
      {"request_type", [](const CaseState& k) { return std::string(to_string(k.request_type)); }},
      {"channel", [](const CaseState& k) { return std::string(to_string(k.channel)); }},
      {"category", [](const CaseState& k) { return k.category; }},
      {"street", [](const CaseState& k) { return k.location.street; }},
      {"community", [](const CaseState& k) { return k.location.community; }},
      {"grid", [](const CaseState& k) { return k.location.grid; }},
      {"compound", [](const CaseState& k) { return k.location.compound; }},
      {"building", [](const CaseState& k) { return k.location.building; }},
      {"workflow", [](const CaseState& k) { return k.workflow.id + "@" + std::to_string(k.workflow.version); }},
      {"owner", [](const CaseState& k) { return k.owner.unit; }},
      {"step", [](const CaseState& k) { return k.step_id.empty() ? "none" : k.step_id; }},
      {"level", [](const CaseState& k) { return std::string(to_string(k.level)); }},
      {"holder", [](const CaseState& k) { return k.lead_unit.empty() ? "none" : k.lead_unit; }},
      {"waiting_for_dispatcher", [](const CaseState& k) { return k.waiting_for_dispatcher.value_or("none"); }},
      {"co_handlers", [](const CaseState& k) { return list_or_none(k.co_handlers); }},
      {"co_replied", [](const CaseState& k) { return list_or_none(k.co_replied); }},
      {"accept_by", [](const CaseState& k) { return time_or_none(k.accept_by); }},
      {"resolve_by", [](const CaseState& k) { return time_or_none(k.resolve_by); }},
      {"reply_by", [](const CaseState& k) { return time_or_none(k.reply_by); }},
      {"rating_by", [](const CaseState& k) { return time_or_none(k.rating_by); }},
      {"follow_up_by", [](const CaseState& k) { return time_or_none(k.follow_up_by); }},
      {"overdue", [](const CaseState& k) {
         std::vector<std::string> kinds;
         for (auto kind : k.overdue) kinds.emplace_back(to_string(kind));
         return list_or_none(kinds);
       }},
      {"warned", [](const CaseState& k) {
         std::vector<std::string> kinds;
         for (const auto& w : k.warned) kinds.emplace_back(to_string(w.kind));
         return list_or_none(kinds);
       }},
      {"warnings", [](const CaseState& k) { return std::to_string(k.warnings); }},
      {"extension_requested", [](const CaseState& k) {
         return k.extension_requested ? format_duration(*k.extension_requested) : "none";
       }},
      {"outcome", [](const CaseState& k) { return name_or_none(k.outcome); }},
      {"answer", [](const CaseState& k) { return k.answer; }},
      {"on_spot", [](const CaseState& k) { return std::string(k.answered_on_spot ? "true" : "false"); }},
      {"rating", [](const CaseState& k) { return name_or_none(k.rating); }},
      {"merged_into", [](const CaseState& k) { return k.merged_into.empty() ? "none" : k.merged_into; }},
      {"duplicates", [](const CaseState& k) { return list_or_none(k.duplicates); }},
      {"urges", [](const CaseState& k) { return std::to_string(k.urges); }},
      {"escalations", [](const CaseState& k) { return std::to_string(k.escalations); }},
      {"returns", [](const CaseState& k) { return std::to_string(k.returns); }},
      {"send_backs", [](const CaseState& k) { return std::to_string(k.send_backs); }},
      {"extensions", [](const CaseState& k) { return std::to_string(k.extensions_granted); }},
      {"reopens", [](const CaseState& k) { return std::to_string(k.reopens); }},
      {"closed_at", [](const CaseState& k) { return time_or_none(k.closed_at); }},
      {"reporter", [](const CaseState& k) { return k.reporter.name; }},
      {"phone", [](const CaseState& k) { return k.reporter.phone; }},
      {"account", [](const CaseState& k) { return k.reporter.account; }},
      {"address", [](const CaseState& k) { return k.location.address; }},
      {"content", [](const CaseState& k) { return k.content; }},
      {"personal_data_erased_at", [](const CaseState& k) { return time_or_none(k.personal_data_erased_at); }},
  };
  return r;
}

}  // namespace

const std::vector<std::string>& state_field_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const auto& [name, reader] : readers()) n.push_back(name);
    return n;
  }();
  return names;
}

Result<std::string> state_field(const CaseState& state, const std::string& field) {
  auto it = readers().find(field);
  if (it == readers().end()) {
    std::string known;
    for (const auto& n : state_field_names()) known += (known.empty() ? "" : ", ") + n;
    return fail(ErrorCode::kInvalidArgument, "unknown field '" + field + "' (known: " + known + ")");
  }
  return it->second(state);
}

}  // namespace escalator

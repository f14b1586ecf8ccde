#include "escalator/model/workflow.hpp"

#include <algorithm>

namespace escalator {
namespace {

// "物业" takes "物业" and "物业/漏水", not "物业费".
bool within(std::string_view category, std::string_view prefix) {
  return category.size() >= prefix.size() && category.substr(0, prefix.size()) == prefix &&
         (category.size() == prefix.size() || category[prefix.size()] == '/');
}

template <class T>
bool listed(const std::vector<T>& list, const T& value) {
  return list.empty() || std::find(list.begin(), list.end(), value) != list.end();
}

template <class T>
bool share(const std::vector<T>& a, const std::vector<T>& b) {
  if (a.empty() || b.empty()) return true;
  return std::any_of(a.begin(), a.end(), [&](const T& x) { return listed(b, x); });
}

}  // namespace

int Workflow::step_index(std::string_view step_id) const {
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (steps[i].id == step_id) return static_cast<int>(i);
  }
  return -1;
}

const std::optional<Duration>& DeadlineWarnings::of(DeadlineKind kind) const {
  switch (kind) {
    case DeadlineKind::kAccept: return accept;
    case DeadlineKind::kResolve: return resolve;
    case DeadlineKind::kReply: return reply;
    case DeadlineKind::kRating: return rating;
    case DeadlineKind::kFollowUp: return follow_up;
  }
  return accept;
}

std::optional<Duration> Workflow::warning_before(int step, DeadlineKind kind) const {
  const bool step_deadline = kind == DeadlineKind::kAccept || kind == DeadlineKind::kResolve;
  if (step_deadline && step >= 0 && static_cast<std::size_t>(step) < steps.size()) {
    if (const auto& own = steps[static_cast<std::size_t>(step)].warn_before.of(kind)) return own;
  }
  return warn_before.of(kind);
}

std::optional<int> Workflow::route(int step, RouteTrigger trigger, const CaseState& k) const {
  const WorkflowStep& at = steps.at(static_cast<std::size_t>(step));
  const WorkflowRoute& r = trigger == RouteTrigger::kAcceptTimeout    ? at.on_accept_timeout
                           : trigger == RouteTrigger::kResolveTimeout ? at.on_resolve_timeout
                                                                      : at.on_unresolved;
  std::string then = trigger == RouteTrigger::kUnresolved ? "stay" : "next";
  for (const auto& branch : r) {
    if (branch.when.takes(k)) {
      then = branch.then;
      break;
    }
  }
  if (then == "stay") return std::nullopt;
  if (then == "next") {
    if (step + 1 >= static_cast<int>(steps.size())) return std::nullopt;
    return step + 1;
  }
  const int target = step_index(then);
  if (target < 0) return std::nullopt;  // validation refuses such a workflow
  return target;
}

bool WorkflowTakes::takes(const CaseState& k) const {
  const bool category = categories.empty() || std::any_of(categories.begin(), categories.end(), [&](const auto& c) {
                          return within(k.category, c);
                        });
  return category && listed(request_types, k.request_type) && listed(channels, k.channel) &&
         (!collective || *collective == k.collective);
}

bool WorkflowTakes::overlaps(const WorkflowTakes& other) const {
  bool category = categories.empty() || other.categories.empty();
  for (const auto& a : categories) {
    for (const auto& b : other.categories) category = category || within(a, b) || within(b, a);
  }
  const bool collective_too = !collective || !other.collective || *collective == *other.collective;
  return category && share(request_types, other.request_types) && share(channels, other.channels) &&
         collective_too;
}

}  // namespace escalator

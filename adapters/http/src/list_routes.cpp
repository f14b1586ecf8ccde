// GET /v1/cases and GET /v1/inbox (docs/http.md, "Listing cases", "The
// inbox"): a page of what the caller may see, its personal data masked or
// recorded as the caller's role says (docs/access.md).
#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "case_view.hpp"
#include "problem.hpp"
#include "routes.hpp"

namespace escalator::http {
namespace {

// A query parameter read as what it names; the problem names the parameter.
template <class T>
std::optional<Problem> parsed(const Query& query, const char* name, std::optional<T>& out,
                              Result<T> (*parse)(std::string_view)) {
  const auto found = query.find(name);
  if (found == query.end()) return std::nullopt;
  auto value = parse(found->second);
  if (!value) {
    Problem problem{ProblemKind::kBadQuery, "查询参数 " + std::string(name) + " 不被接受"};
    problem.engine_detail = std::string(name) + ": " + value.error().message;
    return problem;
  }
  out = *value;
  return std::nullopt;
}

Result<bool> parse_yes_no(std::string_view text) {
  if (text == "true") return true;
  if (text == "false") return false;
  return fail(ErrorCode::kInvalidArgument, "expected true or false, but got '" + std::string(text) + "'");
}

Result<std::size_t> parse_limit(std::string_view text) {
  if (text.empty() || text.size() > 4 || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return fail(ErrorCode::kInvalidArgument, "expected a number from 1 to " + std::to_string(kMaxPage) + ", but got '" + std::string(text) + "'");
  return static_cast<std::size_t>(std::stoul(std::string(text)));
}

std::string text_of(const Query& query, const char* name) {
  const auto found = query.find(name);
  return found == query.end() ? std::string() : found->second;
}

// The pages of a search a bounded key's request reads at most: a key that
// sees few cases of many gets a short page in bounded time, and its
// next_cursor goes on from where the reading stopped.
constexpr int kPagesReadForAKey = 20;

std::string next_cursor_json(const std::string& cursor) {
  return cursor.empty() ? "null" : nlohmann::json(cursor).dump();
}

}  // namespace

void Routes::list_cases(const Query& query, const Caller& caller, Respond respond) {
  CaseQuery q;
  std::optional<std::size_t> limit;
  std::optional<Problem> problem;
  if (!problem) problem = parsed(query, "state", q.state, &parse_lifecycle_state);
  if (!problem) problem = parsed(query, "level", q.level, &parse_level);
  if (!problem) problem = parsed(query, "channel", q.channel, &parse_channel);
  if (!problem) problem = parsed(query, "colour", q.colour, &parse_warning_colour);
  if (!problem) problem = parsed(query, "overdue", q.overdue, &parse_yes_no);
  if (!problem) problem = parsed(query, "opened_from", q.opened_from, &parse_time);
  if (!problem) problem = parsed(query, "opened_before", q.opened_before, &parse_time);
  if (!problem) problem = parsed(query, "limit", limit, &parse_limit);
  if (problem) return respond(problem_response(*problem));
  q.step = text_of(query, "step");
  q.unit = text_of(query, "unit");
  q.street = text_of(query, "street");
  q.community = text_of(query, "community");
  q.grid = text_of(query, "grid");
  q.compound = text_of(query, "compound");
  q.category = text_of(query, "category");
  q.cursor = text_of(query, "cursor");
  if (limit) q.limit = *limit;
  const std::size_t wanted = q.limit;
  const auto now = engine_.clock().now();
  const auto directory = engine_.directory();
  std::vector<CaseState> shown;
  std::string next;
  for (int read = 0;; ++read) {
    auto page = engine_.find_cases(q);
    if (!page) return respond(problem_response(bad_query_or(page.error())));
    for (auto& k : page->cases) {
      if (caller.sees(k, *directory, now)) shown.push_back(std::move(k));
    }
    next = std::move(page->next_cursor);
    if (caller.key == nullptr || shown.size() >= wanted || next.empty() || read + 1 >= kPagesReadForAKey) break;
    q.cursor = next;
    q.limit = wanted - shown.size();
  }
  std::vector<const CaseState*> read;
  for (const auto& k : shown) read.push_back(&k);
  std::string body = "{\"cases\":[";
  for (std::size_t i = 0; i < shown.size(); ++i) {
    body += (i ? "," : "") + case_json(shown[i], paused_of(shown[i]), caller.masked());
  }
  body += "],\"next_cursor\":" + next_cursor_json(next) + "}";
  answer_once_recorded(caller, "listCases", read, json_response(200, std::move(body)), std::move(respond));
}

void Routes::read_inbox(const Query& query, const Caller& caller, Respond respond) {
  std::optional<std::size_t> limit;
  if (auto problem = parsed(query, "limit", limit, &parse_limit)) return respond(problem_response(*problem));
  const auto unit = text_of(query, "unit");
  if (unit.empty()) return respond(problem_response({ProblemKind::kBadQuery, "unit: 必填：要看哪个单位的待办"}));
  const std::size_t wanted = limit.value_or(50);
  const auto now = engine_.clock().now();
  const auto directory = engine_.directory();
  std::vector<InboxEntry> shown;
  std::string cursor = text_of(query, "cursor"), next;
  for (int read = 0;; ++read) {
    auto page = engine_.inbox(unit, cursor, wanted - shown.size());
    if (!page) return respond(problem_response(bad_query_or(page.error())));
    for (auto& e : page->entries) {
      if (caller.sees(e.state, *directory, now)) shown.push_back(std::move(e));
    }
    next = std::move(page->next_cursor);
    if (caller.key == nullptr || shown.size() >= wanted || next.empty() || read + 1 >= kPagesReadForAKey) break;
    cursor = next;
  }
  std::vector<const CaseState*> read;
  for (const auto& e : shown) read.push_back(&e.state);
  std::string body = "{\"unit\":" + nlohmann::json(unit).dump() + ",\"entries\":[";
  for (std::size_t i = 0; i < shown.size(); ++i) {
    const auto& e = shown[i];
    nlohmann::ordered_json head;
    if (e.deadline) {
      head["deadline"] = {{"kind", std::string(to_string(e.deadline->kind))}, {"due", format_time(e.deadline->due)}};
    } else {
      head["deadline"] = nullptr;
    }
    head["working_seconds_left"] = e.working_time_left.count();
    // Working hours to one decimal, as a worker reads a deadline: 3.5 小时.
    head["working_hours_left"] = static_cast<double>(std::lround(static_cast<double>(e.working_time_left.count()) / 360.0)) / 10.0;
    head["colour"] = std::string(to_string(e.colour));
    std::string entry = head.dump();
    entry.pop_back();
    body += (i ? "," : "") + entry + ",\"case\":" + case_json(e.state, paused_of(e.state), caller.masked()) + "}";
  }
  body += "],\"next_cursor\":" + next_cursor_json(next) + "}";
  answer_once_recorded(caller, "readInbox", read, json_response(200, std::move(body)), std::move(respond));
}

}  // namespace escalator::http

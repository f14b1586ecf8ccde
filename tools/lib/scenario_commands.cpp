#include "scenario_commands.hpp"

#include <charconv>
#include <set>
#include <sstream>

namespace escalator::scenario {
namespace {

// Reads a step's arguments, remembering which were used so that any left over
// is reported as unknown.
class Args {
 public:
  Args(const Step& step, std::string file) : step_(step), file_(std::move(file)) {}

  std::string text(const std::string& key, std::string fallback = "") {
    used_.insert(key);
    auto it = step_.args.find(key);
    return it == step_.args.end() ? fallback : it->second;
  }
  bool flag(const std::string& key) {
    const auto v = text(key, "false");
    if (v != "true" && v != "false") fail_with(key + ": expected true or false, but got '" + v + "'");
    return v == "true";
  }
  template <class T>
  T parsed(const std::string& key, const std::string& fallback, Result<T> (*parser)(std::string_view)) {
    auto value = parser(text(key, fallback));
    if (!value) {
      fail_with(key + ": " + value.error().message);
      return T{};
    }
    return *value;
  }
  std::vector<std::string> list(const std::string& key) {
    std::vector<std::string> items;
    std::istringstream in(text(key));
    for (std::string item; std::getline(in, item, ',');) {
      if (!item.empty()) items.push_back(item);
    }
    return items;
  }
  void fail_with(const std::string& why) {
    if (!error_) error_ = Error{ErrorCode::kInvalidArgument, file_ + ":" + std::to_string(step_.line) + ": " + why};
  }
  Result<void> finish() {
    for (const auto& [key, value] : step_.args) {
      if (!used_.count(key)) fail_with("unknown argument '" + key + "' for " + step_.verb);
    }
    if (error_) return tl::unexpected(*error_);
    return {};
  }

 private:
  const Step& step_;
  std::string file_;
  std::set<std::string> used_;
  std::optional<Error> error_;
};

Result<Timestamp> due_of(const CommandSite& site, DeadlineKind kind, Args& args) {
  if (auto given = args.text("due"); !given.empty()) return parse_time(given);
  if (site.state) {
    if (const auto running = running_deadline(*site.state, kind)) return *running;
  }
  return Timestamp{};  // no deadline running: the engine will say so
}

const std::set<std::string> kVerbs = {
    "open", "dispatch", "accept", "reply_on_spot", "reply", "return", "send_back", "escalate",
    "urge", "hand_over", "suspend", "resume", "request_extension", "decide_extension",
    "follow_up", "rate", "reopen", "withdraw", "merge", "close", "accept_timeout",
    "resolve_timeout", "reply_timeout", "rating_timeout", "co_handler_reply", "raise_warning",
    "follow_up_timeout", "recompute_deadlines", "erase_personal_data", "locate", "discuss", "add_co_handlers"};

// recompute_deadlines: the deadlines given, or, with none given, a_day_later.
Result<cmd::RecomputeDeadlines> recomputation(const CommandSite& site, Args& a) {
  cmd::RecomputeDeadlines c{a.text("calendar", "scenario")};
  bool given = false;
  for (const DeadlineKind kind : kEveryDeadlineKind) {
    const std::string text = a.text(std::string(to_string(kind)) + "_by");
    if (text.empty()) continue;
    auto at = parse_time(text);
    if (!at) return tl::unexpected(at.error());
    c.moved.of(kind) = *at;
    given = true;
  }
  if (!given && site.state) c.moved = a_day_later(*site.state);
  return c;
}

}  // namespace

Deadlines a_day_later(const CaseState& k) {
  Deadlines later;
  for (const DeadlineKind kind : kEveryDeadlineKind) {
    if (const auto due = running_deadline(k, kind)) later.of(kind) = *due + std::chrono::days{1};
  }
  return later;
}

bool is_command(const std::string& verb) { return kVerbs.count(verb) > 0; }
const std::set<std::string>& command_verbs() { return kVerbs; }

Result<Command> build_command(const Step& step, const CommandSite& site, const std::string& file) {
  Args a(step, file);
  Command c;
  c.case_id = site.case_id;
  c.actor = a.text("actor", "scenario");
  c.idempotency_key = a.text("key", "step-" + std::to_string(site.sequence));
  if (auto v = a.text("version"); !v.empty()) {
    std::uint64_t version = 0;
    const auto [end, error] = std::from_chars(v.data(), v.data() + v.size(), version);
    if (error != std::errc() || end != v.data() + v.size()) a.fail_with("version: expected a number, but got '" + v + "'");
    c.expected_version = version;
  }
  const std::string& verb = step.verb;
  // An error found below, told at the step's file and line like every other.
  const auto located = [&](const Error& e, const std::string& field) -> tl::unexpected<Error> {
    return tl::unexpected(Error{e.code, file + ":" + std::to_string(step.line) + ": " + field + e.message});
  };

  if (verb == "open") {
    cmd::Open o;
    o.request_type = a.parsed<RequestType>("type", "complaint", parse_request_type);
    o.channel = a.parsed<Channel>("channel", "hotline", parse_channel);
    o.category = a.text("category", "物业/漏水");
    o.location.district_code = a.text("district", "370811");
    // A building the directory knows, or an address of its table, places the case by itself.
    o.location.building = a.text("building");
    o.location.address = a.text("address");
    const bool placed = !o.location.building.empty() || !o.location.address.empty();
    o.location.compound = a.text("compound", placed ? "" : "yangguang-garden");
    o.collective = a.flag("collective");
    o.urgent = a.flag("urgent");
    o.reporter = Reporter{a.text("reporter"), a.text("phone"), a.text("account")};
    o.content = a.text("content", "楼上卫生间漏水，天花板渗水");
    o.first_contact = Party{a.text("owner", "hotline.12345"), a.text("owner_person")};
    if (auto due = a.text("reply_by"); !due.empty()) o.reply_by = a.parsed<Timestamp>("reply_by", due, parse_time);
    c.case_id.clear();
    c.payload = std::move(o);
  } else if (verb == "dispatch") {
    c.payload = cmd::Dispatch{a.text("lead"), a.list("co"), a.text("step")};
  } else if (verb == "accept") {
    c.payload = cmd::Accept{};
  } else if (verb == "reply_on_spot") {
    c.payload = cmd::ReplyOnSpot{a.parsed<Outcome>("outcome", "resolved", parse_outcome),
                                 a.text("answer", "已现场处理")};
  } else if (verb == "reply") {
    c.payload = cmd::Reply{a.parsed<Outcome>("outcome", "resolved", parse_outcome),
                           a.text("answer", "已维修完毕")};
  } else if (verb == "return") {
    c.payload = cmd::Return{a.text("reason", "不属于本单位管辖")};
  } else if (verb == "send_back") {
    c.payload = cmd::SendBack{a.text("to"), a.text("reason", "答复不充分，发回重办")};
  } else if (verb == "escalate") {
    c.payload = cmd::Escalate{a.text("reason", "本级无法解决")};
  } else if (verb == "urge") {
    c.payload = cmd::Urge{a.text("note")};
  } else if (verb == "hand_over") {
    c.payload = cmd::HandOver{Party{a.text("to"), a.text("person")}, a.text("note")};
  } else if (verb == "suspend") {
    c.payload = cmd::Suspend{a.text("reason", "等待业主配合入户")};
  } else if (verb == "resume") {
    c.payload = cmd::Resume{};
  } else if (verb == "request_extension") {
    c.payload = cmd::RequestExtension{a.parsed<Duration>("extra", "2 working-days", parse_duration),
                                      a.text("reason", "需要采购配件")};
  } else if (verb == "decide_extension") {
    c.payload = cmd::DecideExtension{a.flag("approved"), a.text("note")};
  } else if (verb == "follow_up") {
    c.payload = cmd::FollowUp{};
  } else if (verb == "rate") {
    c.payload = cmd::Rate{a.parsed<Rating>("rating", "satisfied", parse_rating), a.text("reason")};
  } else if (verb == "reopen") {
    c.payload = cmd::Reopen{a.text("reason", "问题复发")};
  } else if (verb == "withdraw") {
    c.payload = cmd::Withdraw{a.text("reason", "居民自行解决")};
  } else if (verb == "merge") {
    std::string into = a.text("into");
    if (into.starts_with("@")) {
      auto aliased = site.case_of_alias(into);
      if (!aliased) return located(aliased.error(), "into: ");
      into = *aliased;
    }
    c.payload = cmd::Merge{into};
  } else if (verb == "co_handler_reply") {
    c.payload = cmd::CoHandlerReply{a.text("unit"), a.parsed<Outcome>("outcome", "resolved", parse_outcome),
                                    a.text("answer", "已协助处理")};
  } else if (verb == "raise_warning") {
    const DeadlineKind kind = a.parsed<DeadlineKind>("kind", "", parse_deadline_kind);
    auto due = due_of(site, kind, a);
    if (!due) return located(due.error(), "due: ");
    c.payload = cmd::RaiseWarning{kind, *due};
  } else if (verb == "recompute_deadlines") {
    auto recomputed = recomputation(site, a);
    if (!recomputed) return located(recomputed.error(), "");
    c.payload = std::move(*recomputed);
  } else if (verb == "erase_personal_data") {
    c.payload = cmd::ErasePersonalData{a.text("reason", "保存期满")};
  } else if (verb == "discuss") {
    c.payload = cmd::Discuss{a.text("note", "议定处理办法")};
  } else if (verb == "add_co_handlers") {
    c.payload = cmd::AddCoHandlers{a.list("units"), a.text("reason", "议定增加协办单位")};
  } else if (verb == "locate") {
    c.payload = cmd::Locate{a.text("compound"), a.text("building"), a.text("reason", "居民所报位置有误")};
  } else if (verb == "close") {
    c.payload = cmd::Close{a.text("note")};
  } else if (verb == "accept_timeout" || verb == "resolve_timeout" || verb == "reply_timeout" ||
             verb == "rating_timeout" || verb == "follow_up_timeout") {
    const DeadlineKind kind = verb == "accept_timeout"    ? DeadlineKind::kAccept
                              : verb == "resolve_timeout" ? DeadlineKind::kResolve
                              : verb == "reply_timeout"   ? DeadlineKind::kReply
                              : verb == "rating_timeout"  ? DeadlineKind::kRating
                                                          : DeadlineKind::kFollowUp;
    auto due = due_of(site, kind, a);
    if (!due) return located(due.error(), "due: ");
    switch (kind) {
      case DeadlineKind::kAccept: c.payload = cmd::AcceptTimeout{*due}; break;
      case DeadlineKind::kResolve: c.payload = cmd::ResolveTimeout{*due}; break;
      case DeadlineKind::kReply: c.payload = cmd::ReplyTimeout{*due}; break;
      case DeadlineKind::kRating: c.payload = cmd::RatingTimeout{*due}; break;
      case DeadlineKind::kFollowUp: c.payload = cmd::FollowUpTimeout{*due}; break;
    }
  } else {
    return fail(ErrorCode::kInvalidArgument,
                file + ":" + std::to_string(step.line) + ": unknown step '" + verb + "'");
  }
  if (auto done = a.finish(); !done) return tl::unexpected(done.error());
  return c;
}

}  // namespace escalator::scenario

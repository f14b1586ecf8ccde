#include "command_check.hpp"

#include <algorithm>
#include <iterator>

#include <nlohmann/json.hpp>
#include <string>

#include "case_id.hpp"
#include "json_text.hpp"

namespace escalator {
namespace {

struct Checker {
  const Limits& limits;
  std::string_view command;
  Timestamp now_;
  Result<void> result{};

  bool ok() const { return result.has_value(); }
  void invalid(std::string_view field, const std::string& why) {
    if (ok()) result = fail(ErrorCode::kInvalidArgument, std::string(field) + ": " + why);
  }
  void required(std::string_view field, const std::string& value) {
    if (value.empty()) {
      invalid(field, "required for " + std::string(command));
    } else if (only_blanks(value)) {
      invalid(field, "required for " + std::string(command) + ", but holds only blanks");
    }
  }
  // Spaces of any width, tabs and line breaks: what a text of no words is made of.
  static bool only_blanks(std::string_view text) {
    static constexpr std::string_view kBlanks[] = {" ", "\t", "\n", "\r", "\v", "\f",
                                                   "\xC2\xA0",      // no-break space
                                                   "\xE3\x80\x80",  // 　 ideographic (full-width) space
                                                   "\xE2\x80\x8B",  // zero-width space
                                                   "\xEF\xBB\xBF"}; // byte-order mark
    while (!text.empty()) {
      const auto blank = std::find_if(std::begin(kBlanks), std::end(kBlanks),
                                      [&](std::string_view b) { return text.starts_with(b); });
      if (blank == std::end(kBlanks)) return false;
      text.remove_prefix(blank->size());
    }
    return true;
  }
  void text(std::string_view field, const std::string& value) {
    if (!is_utf8(value)) invalid(field, "not valid UTF-8");
    if (static_cast<int>(value.size()) > limits.max_text_bytes) {
      invalid(field, std::to_string(value.size()) + " bytes, more than the limit of " +
                         std::to_string(limits.max_text_bytes));
    }
  }
  void required_text(std::string_view field, const std::string& value) {
    required(field, value);
    text(field, value);
  }

  void operator()(const cmd::Open& c) {
    required("category", c.category);
    text("category", c.category);
    // 首问负责: whoever received the case owns it, so someone must have.
    required("first_contact.unit", c.first_contact.unit);
    if (!is_district_code(c.location.district_code)) {
      invalid("location.district_code",
              "expected a 6-digit administrative division code, but got '" +
                  c.location.district_code + "'");
    }
    // The directory places a case by its compound or by a building it knows.
    if (c.location.compound.empty() && c.location.building.empty() && c.location.address.empty()) {
      invalid("location.compound", "required for open, unless location.building or location.address places the case");
    }
    if (c.reply_by && *c.reply_by <= now_) invalid("reply_by", "must be later than now, but is " + format_time(*c.reply_by));
    required_text("content", c.content);
    text("location.address", c.location.address);
    text("reporter.name", c.reporter.name);
    text("reporter.phone", c.reporter.phone);
    text("reporter.account", c.reporter.account);
  }
  void operator()(const cmd::Dispatch& c) {
    if (static_cast<int>(c.co_handlers.size()) > limits.max_co_handlers) {
      invalid("co_handlers", std::to_string(c.co_handlers.size()) +
                                 " units, more than the limit of " +
                                 std::to_string(limits.max_co_handlers));
    }
  }
  void operator()(const cmd::ReplyOnSpot& c) { required_text("answer", c.answer); }
  void operator()(const cmd::Reply& c) { required_text("answer", c.answer); }
  void operator()(const cmd::Return& c) { required_text("reason", c.reason); }
  void operator()(const cmd::SendBack& c) {
    required("to_step", c.to_step);
    required_text("reason", c.reason);
  }
  void operator()(const cmd::Escalate& c) { required_text("reason", c.reason); }
  void operator()(const cmd::Urge& c) { text("note", c.note); }
  void operator()(const cmd::HandOver& c) {  // the unit is checked against the directory by the decider
    required("to.unit", c.to.unit);
    text("note", c.note);
  }
  void operator()(const cmd::Suspend& c) { required_text("reason", c.reason); }
  void operator()(const cmd::RequestExtension& c) {
    // An extension is days or hours, not years: beyond these it is a new case.
    const bool by_day = c.extra.unit == Duration::Unit::kDays || c.extra.unit == Duration::Unit::kWorkingDays;
    const std::int64_t most = by_day ? 30 : 240;
    if (c.extra.amount <= 0) {
      invalid("extra", "must be longer than zero");
    } else if (c.extra.amount > most) {
      invalid("extra", "at most " + std::to_string(most) + (by_day ? " days" : " hours") + ", but got " +
                           format_duration(c.extra));
    }
    required_text("reason", c.reason);
  }
  void operator()(const cmd::DecideExtension& c) { text("note", c.note); }
  void operator()(const cmd::Rate& c) { text("reason", c.reason); }
  void operator()(const cmd::Reopen& c) { required_text("reason", c.reason); }
  void operator()(const cmd::Withdraw& c) { required_text("reason", c.reason); }
  void operator()(const cmd::Merge& c) {
    if (!is_case_id(c.into)) {
      invalid("into", "expected a case id like 370811-20250930-000017, but got '" + c.into + "'");
    }
  }
  void operator()(const cmd::Close& c) { text("note", c.note); }
  void operator()(const cmd::CoHandlerReply& c) {
    required("unit", c.unit);
    required_text("answer", c.answer);
  }
  void operator()(const cmd::RecomputeDeadlines& c) { required_text("calendar", c.calendar); }
  void operator()(const cmd::ErasePersonalData& c) { required_text("reason", c.reason); }
  void operator()(const cmd::Discuss& c) { text("note", c.note); }
  void operator()(const cmd::AddCoHandlers& c) {
    // A council brings in a few helpers; a list longer than this is a mistake, not a meeting.
    constexpr std::size_t kMostUnits = 20;
    if (c.units.empty()) invalid("units", "required for " + std::string(command) + ": at least one unit to bring in");
    if (c.units.size() > kMostUnits) {
      invalid("units", "at most " + std::to_string(kMostUnits) + " units at once, but got " + std::to_string(c.units.size()));
    }
    for (std::size_t i = 0; i < c.units.size(); ++i) required_text("units[" + std::to_string(i) + "]", c.units[i]);
    required_text("reason", c.reason);
  }
  void operator()(const cmd::Locate& c) {  // the place is checked against the directory by the decider
    if (c.compound.empty() && c.building.empty()) invalid("compound", "required, unless building places the case");
    text("compound", c.compound);
    text("building", c.building);
    required_text("reason", c.reason);
  }
  template <class Other>
  void operator()(const Other&) {}
};

}  // namespace

Result<void> check_command(const Command& command, const Limits& limits, Timestamp now) {
  Checker check{limits, command_name(command.payload), now};
  if (command.idempotency_key.empty()) {
    check.invalid("idempotency_key", "required: every command carries one");
  } else if (command.idempotency_key.size() > 200) {
    check.invalid("idempotency_key", "longer than 200 bytes");
  }
  const bool opens = std::holds_alternative<cmd::Open>(command.payload);
  if (opens && !command.case_id.empty()) {
    check.invalid("case_id", "must be empty for open: the engine allocates case ids");
  } else if (!opens && !is_case_id(command.case_id)) {
    check.invalid("case_id", "expected a case id like 370811-20250930-000017, but got '" +
                                 command.case_id + "'");
  }
  if (check.ok()) std::visit(check, command.payload);
  return check.result;
}

}  // namespace escalator

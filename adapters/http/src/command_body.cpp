#include "command_body.hpp"

#include <array>

#include "body_json.hpp"

namespace escalator::http {
namespace {

void read_party(BodyFields& f, Party& party) {
  f.text("unit", party.unit);
  f.text("person", party.person);
}

void read_fields(BodyFields& f, cmd::Open& c, std::string& external_id) {
  f.text("external_id", external_id);
  f.named("request_type", c.request_type, &parse_request_type);
  f.named("channel", c.channel, &parse_channel);
  f.text("category", c.category, true);
  f.object("location", [&](BodyFields& l) {
    l.text("district_code", c.location.district_code, true);
    l.text("street", c.location.street);
    l.text("community", c.location.community);
    l.text("grid", c.location.grid);
    l.text("compound", c.location.compound);
    l.text("building", c.location.building);
    l.text("address", c.location.address);
  }, true);
  f.flag("collective", c.collective);
  f.flag("urgent", c.urgent);
  f.object("reporter", [&](BodyFields& r) {
    r.text("name", c.reporter.name);
    r.text("phone", c.reporter.phone);
    r.text("account", c.reporter.account);
  });
  f.text("content", c.content, true);
  f.object("first_contact", [&](BodyFields& p) { read_party(p, c.first_contact); }, true);
  f.instant("reply_by", c.reply_by);
}

void read_fields(BodyFields& f, cmd::Dispatch& c) {
  f.text("lead_unit", c.lead_unit);
  f.texts("co_handlers", c.co_handlers);
  f.text("step", c.step);
}
void read_fields(BodyFields&, cmd::Accept&) {}
void read_fields(BodyFields& f, cmd::ReplyOnSpot& c) {
  f.named("outcome", c.outcome, &parse_outcome);
  f.text("answer", c.answer, true);
}
void read_fields(BodyFields& f, cmd::Reply& c) {
  f.named("outcome", c.outcome, &parse_outcome);
  f.text("answer", c.answer, true);
}
void read_fields(BodyFields& f, cmd::Return& c) { f.text("reason", c.reason, true); }
void read_fields(BodyFields& f, cmd::SendBack& c) {
  f.text("to_step", c.to_step, true);
  f.text("reason", c.reason, true);
}
void read_fields(BodyFields& f, cmd::Escalate& c) { f.text("reason", c.reason, true); }
void read_fields(BodyFields& f, cmd::Urge& c) { f.text("note", c.note); }
void read_fields(BodyFields& f, cmd::HandOver& c) {
  f.object("to", [&](BodyFields& p) { read_party(p, c.to); }, true);
  f.text("note", c.note);
}
void read_fields(BodyFields& f, cmd::Suspend& c) { f.text("reason", c.reason, true); }
void read_fields(BodyFields&, cmd::Resume&) {}
void read_fields(BodyFields& f, cmd::RequestExtension& c) {
  f.duration("extra", c.extra, true);
  f.text("reason", c.reason, true);
}
void read_fields(BodyFields& f, cmd::DecideExtension& c) {
  f.flag("approved", c.approved, true);
  f.text("note", c.note);
}
void read_fields(BodyFields&, cmd::FollowUp&) {}
void read_fields(BodyFields& f, cmd::Rate& c) {
  f.named("rating", c.rating, &parse_rating, true);
  f.text("reason", c.reason);
}
void read_fields(BodyFields& f, cmd::Reopen& c) { f.text("reason", c.reason, true); }
void read_fields(BodyFields& f, cmd::Withdraw& c) { f.text("reason", c.reason, true); }
void read_fields(BodyFields& f, cmd::Merge& c) { f.text("into", c.into, true); }
void read_fields(BodyFields& f, cmd::Close& c) { f.text("note", c.note); }
void read_fields(BodyFields& f, cmd::CoHandlerReply& c) {
  f.text("unit", c.unit, true);
  f.named("outcome", c.outcome, &parse_outcome);
  f.text("answer", c.answer, true);
}
void read_fields(BodyFields& f, cmd::ErasePersonalData& c) { f.text("reason", c.reason, true); }
void read_fields(BodyFields& f, cmd::Locate& c) {
  f.text("compound", c.compound);
  f.text("building", c.building);
  f.text("reason", c.reason, true);
}
void read_fields(BodyFields& f, cmd::Discuss& c) { f.text("note", c.note); }
void read_fields(BodyFields& f, cmd::AddCoHandlers& c) {
  f.texts("units", c.units);  // none at all is refused by the engine, naming the field
  f.text("reason", c.reason, true);
}

// The commands a client sends, each made by its route's name.
template <class C>
CommandPayload make() {
  return C{};
}
struct ClientCommand {
  std::string_view name;
  CommandPayload (*blank)();
};
const std::array kClientCommands = {
    ClientCommand{"dispatch", &make<cmd::Dispatch>},
    ClientCommand{"accept", &make<cmd::Accept>},
    ClientCommand{"reply_on_spot", &make<cmd::ReplyOnSpot>},
    ClientCommand{"reply", &make<cmd::Reply>},
    ClientCommand{"return", &make<cmd::Return>},
    ClientCommand{"send_back", &make<cmd::SendBack>},
    ClientCommand{"escalate", &make<cmd::Escalate>},
    ClientCommand{"urge", &make<cmd::Urge>},
    ClientCommand{"hand_over", &make<cmd::HandOver>},
    ClientCommand{"suspend", &make<cmd::Suspend>},
    ClientCommand{"resume", &make<cmd::Resume>},
    ClientCommand{"request_extension", &make<cmd::RequestExtension>},
    ClientCommand{"decide_extension", &make<cmd::DecideExtension>},
    ClientCommand{"follow_up", &make<cmd::FollowUp>},
    ClientCommand{"rate", &make<cmd::Rate>},
    ClientCommand{"reopen", &make<cmd::Reopen>},
    ClientCommand{"withdraw", &make<cmd::Withdraw>},
    ClientCommand{"merge", &make<cmd::Merge>},
    ClientCommand{"close", &make<cmd::Close>},
    ClientCommand{"co_handler_reply", &make<cmd::CoHandlerReply>},
    ClientCommand{"erase_personal_data", &make<cmd::ErasePersonalData>},
    ClientCommand{"locate", &make<cmd::Locate>},
    ClientCommand{"discuss", &make<cmd::Discuss>},
    ClientCommand{"add_co_handlers", &make<cmd::AddCoHandlers>},
};

}  // namespace

std::span<const std::string_view> client_commands() {
  static const auto names = [] {
    std::array<std::string_view, kClientCommands.size()> n{};
    for (std::size_t i = 0; i < n.size(); ++i) n[i] = kClientCommands[i].name;
    return n;
  }();
  return names;
}

tl::expected<CommandBody, Problem> decode_command(std::string_view command, const nlohmann::json& body) {
  CommandBody decoded;
  if (command == "open") {
    decoded.payload = cmd::Open{};
  } else {
    bool known = false;
    for (const auto& c : kClientCommands) {
      if (c.name == command) {
        decoded.payload = c.blank();
        known = true;
      }
    }
    if (!known) return tl::unexpected(Problem{ProblemKind::kRouteNotFound, "没有命令 " + std::string(command)});
  }
  std::optional<Problem> problem;
  BodyFields fields(body, "", problem);
  fields.text("actor", decoded.actor);
  std::visit(
      [&](auto& c) {
        using C = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<C, cmd::Open>) {
          read_fields(fields, c, decoded.external_id);
        } else if constexpr (requires { read_fields(fields, c); }) {
          read_fields(fields, c);
        }
      },
      decoded.payload);
  fields.no_others();
  if (problem) return tl::unexpected(std::move(*problem));
  return decoded;
}

}  // namespace escalator::http

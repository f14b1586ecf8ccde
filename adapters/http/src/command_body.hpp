// Lifecycle commands from request bodies (docs/http.md, "Commands"): one
// route per command, its body the command's fields under the names events
// use, enums by their English or Chinese names. What the engine decides by
// itself (timeouts, warnings, deadline recomputation) has no route.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include "escalator/model/command.hpp"
#include "problem.hpp"

namespace escalator::http {

// What a body gives beside the command itself.
struct CommandBody {
  CommandPayload payload;
  std::string actor;        // "actor": who asks; empty when the body names nobody
  std::string external_id;  // open only: the channel's id of the report
};

// The names of the commands a client may send, as routes spell them:
// "dispatch", "accept", "reply_on_spot", ...; "open" is POST /v1/cases.
std::span<const std::string_view> client_commands();

// Decodes the body of `command` (a name of client_commands(), or "open").
// The problem names the field at fault by its pointer.
tl::expected<CommandBody, Problem> decode_command(std::string_view command, const nlohmann::json& body);

}  // namespace escalator::http

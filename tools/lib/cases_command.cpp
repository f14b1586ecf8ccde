#include "cases_command.hpp"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "command_line.hpp"
#include "escalator/http/openapi.hpp"
#include "http_client.hpp"
#include "text_table.hpp"

namespace escalator::tools {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kCasesWhat = R"(A running service's cases (docs/http.md), for a dispatcher at a terminal: list them, read
one, its history or a unit's inbox, open one, and move it through its lifecycle with one
subcommand per command, its fields as options (`escalator cases dispatch CASE_ID
--lead-unit yangguang-garden.property`). Each subcommand is one request to the service at
--server (default: $ESCALATOR_SERVER, else http://127.0.0.1:8345), with the API key in
$ESCALATOR_API_KEY when the service checks keys (docs/access.md).

Text for people, or --json for the service's answer as it is. A refusal prints the
service's problem (its status, title, detail and the field at fault) on stderr.)";

constexpr const char* kDefaultServer = "http://127.0.0.1:8345";

// The filters GET /v1/cases takes, as options (docs/http.md, "Listing cases").
constexpr const char* kListFilters[] = {"state",    "step",     "level",   "unit",        "street",        "community",
                                        "grid",     "compound", "category", "channel",    "colour",        "overdue",
                                        "opened_from", "opened_before", "cursor", "limit"};

std::string option_name(std::string_view field) {
  std::string name = "--";
  for (char c : field) name += c == '_' ? '-' : c;
  return name;
}

const Json& openapi() {
  static const Json kDocument = Json::parse(http::openapi_document());
  return kDocument;
}

const Json& schema_at(const Json& maybe_ref) {
  if (!maybe_ref.contains("$ref")) return maybe_ref;
  const auto ref = maybe_ref["$ref"].get<std::string>();
  return openapi()["components"]["schemas"][ref.substr(ref.rfind('/') + 1)];
}

// The lifecycle commands the service routes, in the document's order:
// every POST /v1/cases/{id}/NAME.
const std::vector<std::string>& lifecycle_commands() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    constexpr std::string_view kPrefix = "/v1/cases/{id}/";
    for (const auto& [path, item] : openapi()["paths"].items()) {
      if (path.starts_with(kPrefix) && item.contains("post")) names.push_back(path.substr(kPrefix.size()));
    }
    return names;
  }();
  return kNames;
}

// A lifecycle command's route in the document: its summary and body schema.
const Json& command_operation(const std::string& name) { return openapi()["paths"]["/v1/cases/{id}/" + name]["post"]; }

// What the options of one request hold once parsed.
struct Asked {
  std::string server = kDefaultServer;
  bool json = false;
  std::string case_id;
  std::string unit;
  std::optional<std::string> at;
  std::optional<std::string> body_file;
  std::optional<std::string> idempotency_key;
  std::optional<std::uint64_t> if_match;
  std::map<std::string, std::string> query;               // list, inbox
  std::map<std::string, std::vector<std::string>> fields;  // a command's body, by JSON pointer-ish path "to/unit"
  std::map<std::string, bool> flags;
};

void add_common(CLI::App& sub, Asked& asked) {
  sub.add_option("--server", asked.server, "the service, http://HOST[:PORT]")->option_text("URL");
  add_json_flag(sub, asked.json)->description("print the service's answer as it is, JSON");
}

// One option per field of the command's body, read from the OpenAPI
// document the service serves: a field it adds is an option at once.
void add_body_options(CLI::App& sub, const Json& schema, Asked& asked, const std::string& prefix = {}) {
  const Json properties = schema.value("properties", Json::object());
  for (const auto& [field, property] : properties.items()) {
    const auto path = prefix.empty() ? field : prefix + "/" + field;
    const auto& resolved = schema_at(property);
    const auto type = resolved.value("type", Json()).is_string() ? resolved["type"].get<std::string>() : std::string();
    const auto name = option_name(prefix.empty() ? field : prefix + "_" + field);
    const auto described = resolved.value("description", std::string());
    if (type == "object") {
      add_body_options(sub, resolved, asked, path);
    } else if (type == "boolean") {
      sub.add_flag(name, asked.flags[path], described.empty() ? field : described);
    } else if (type == "array") {
      sub.add_option(name, asked.fields[path], described.empty() ? field + ", one or more" : described)
          ->option_text("VALUE,...")
          ->delimiter(',');
    } else {
      sub.add_option(name, asked.fields[path], described.empty() ? field : described)
          ->option_text("TEXT")
          ->expected(1);
    }
  }
}

std::string read_body_file(const std::string& file) {
  std::stringstream text;
  if (file == "-") {
    text << std::cin.rdbuf();
  } else {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("--body: cannot read " + file);
    text << in.rdbuf();
  }
  return text.str();
}

// The command's body: --body's JSON, then every field given as an option.
Json body_of(const Asked& asked, const Json& schema) {
  Json body = Json::object();
  if (asked.body_file) {
    body = Json::parse(read_body_file(*asked.body_file), nullptr, false);
    if (body.is_discarded() || !body.is_object()) throw std::runtime_error("--body: not a JSON object");
  }
  const auto place = [&](const std::string& path, Json value) {
    const auto slash = path.find('/');
    if (slash == std::string::npos) {
      body[path] = std::move(value);
    } else {
      body[path.substr(0, slash)][path.substr(slash + 1)] = std::move(value);
    }
  };
  for (const auto& [path, values] : asked.fields) {
    if (values.empty()) continue;
    const auto top = path.substr(0, path.find('/'));
    const auto& property = schema_at(schema["properties"][top]);
    place(path, property.value("type", "") == "array" ? Json(values) : Json(values.front()));
  }
  for (const auto& [path, set] : asked.flags) {
    if (set) place(path, true);
  }
  return body;
}

std::string text_or_dash(const Json& value) {
  if (value.is_null()) return "-";
  if (value.is_string()) return value.get<std::string>();
  return value.dump();
}

void print_case(const Json& k, std::ostream& out) {
  TextTable table;
  for (const auto& [key, value] : k.items()) {
    if (value.is_null() || (value.is_array() && value.empty())) continue;
    table.add_row({key, text_or_dash(value)});
  }
  table.print(out);
}

void print_decision(const std::string& command, const Json& d, std::ostream& out) {
  out << command << " " << d.value("case_id", "") << ": " << d.value("state", "") << ", version "
      << d.value("version", 0) << (d.value("duplicate", false) ? " (a repeat: the first decision again)" : "") << "\n";
  for (const auto& e : d.value("events", Json::array())) {
    out << "  #" << e.value("seq", 0) << "  " << e.value("time", "") << "  " << e.value("type", "") << "\n";
  }
}

void print_page(const Json& page, std::ostream& out) {
  TextTable table;
  table.add_row({"case", "state", "lead unit", "category", "opened"});
  for (const auto& k : page.value("cases", Json::array())) {
    table.add_row({k.value("id", ""), k.value("state", ""), text_or_dash(k.value("lead_unit", Json())),
                   k.value("category", ""), k.value("opened_at", "")});
  }
  table.print(out);
  if (page.value("next_cursor", Json()).is_string()) out << "more: --cursor " << page["next_cursor"].get<std::string>() << "\n";
}

void print_inbox(const Json& inbox, std::ostream& out) {
  TextTable table;
  table.add_row({"case", "deadline", "due", "hours left", "colour", "state"});
  for (const auto& e : inbox.value("entries", Json::array())) {
    const auto& deadline = e.value("deadline", Json());
    table.add_row({e["case"].value("id", ""), deadline.is_object() ? deadline.value("kind", "") : "-",
                   deadline.is_object() ? deadline.value("due", "") : "-", text_or_dash(e.value("working_hours_left", Json())),
                   e.value("colour", ""), e["case"].value("state", "")});
  }
  table.print(out);
  if (inbox.value("next_cursor", Json()).is_string()) out << "more: --cursor " << inbox["next_cursor"].get<std::string>() << "\n";
}

void print_history(const Json& history, std::ostream& out) {
  TextTable table;
  for (const auto& e : history.value("events", Json::array())) {
    table.add_row({"#" + std::to_string(e.value("seq", 0)), e.value("time", ""), e.value("type", ""),
                   "by " + e.value("actor", "")});
  }
  table.print(out);
}

}  // namespace

std::vector<const char*> cases_subcommands() {
  std::vector<const char*> names{"list", "show", "history", "inbox", "open"};
  for (const auto& name : lifecycle_commands()) names.push_back(name.c_str());
  return names;
}

int cases_command(const std::vector<std::string>& args, const Config&, std::ostream& out) {
  auto app = command_app("escalator cases", kCasesWhat,
                         "Exits 1 when the service refuses or cannot be reached, 2 on bad arguments.");
  app->require_subcommand(1);
  Asked asked;
  if (const char* server = std::getenv("ESCALATOR_SERVER"); server != nullptr && *server) asked.server = server;

  auto* list = app->add_subcommand("list", "the cases that match every filter given, a page at a time");
  for (const char* filter : kListFilters) {
    list->add_option_function<std::string>(option_name(filter), [&asked, filter](const std::string& v) { asked.query[filter] = v; },
                                           "only cases whose " + std::string(filter) + " is this (docs/http.md)")
        ->option_text("VALUE");
  }
  auto* show = app->add_subcommand("show", "one case as the service holds it, or as it stood at a past moment");
  show->add_option("CASE_ID", asked.case_id, "the case")->required();
  show->add_option("--at", asked.at, "the moment, RFC 3339 (2025-11-11T12:00:00+08:00)")->option_text("TIME");
  auto* history = app->add_subcommand("history", "every event of a case, in order");
  history->add_option("CASE_ID", asked.case_id, "the case")->required();
  auto* inbox = app->add_subcommand("inbox", "a unit's open cases, nearest deadline first (待办)");
  inbox->add_option("UNIT", asked.unit, "the unit's id in the directory")->required();
  for (const char* paging : {"cursor", "limit"}) {
    inbox->add_option_function<std::string>(option_name(paging), [&asked, paging](const std::string& v) { asked.query[paging] = v; },
                                            paging == std::string("cursor") ? "a page's next cursor" : "entries per page")
        ->option_text("VALUE");
  }
  auto* open = app->add_subcommand("open", "open a case (受理) from a JSON body (docs/http.md, \"Opening a case\")");
  open->add_option("--body", asked.body_file, "the body's file, - for stdin")->option_text("FILE")->required();
  open->add_option("--idempotency-key", asked.idempotency_key, "repeats of it open one case")->option_text("KEY");
  std::vector<CLI::App*> all{list, show, history, inbox, open};
  for (const auto& command : lifecycle_commands()) {
    const auto& operation = command_operation(command);
    auto* sub = app->add_subcommand(command, operation.value("summary", command));
    sub->add_option("CASE_ID", asked.case_id, "the case")->required();
    add_body_options(*sub, schema_at(operation["requestBody"]["content"]["application/json"]["schema"]), asked);
    sub->add_option("--body", asked.body_file, "the body as JSON from a file (- for stdin); options given beside it win")
        ->option_text("FILE");
    sub->add_option("--if-match", asked.if_match, "only if the case is still at this version (412 otherwise)")
        ->option_text("VERSION");
    sub->add_option("--idempotency-key", asked.idempotency_key, "a retry with the same key gets the first decision")
        ->option_text("KEY");
    all.push_back(sub);
  }
  for (auto* sub : all) add_common(*sub, asked);
  if (auto done = parse_command_line(*app, args, out)) return *done;

  const std::string chosen = chosen_subcommand(*app).get_name();
  const std::string label = "escalator cases " + chosen;
  auto server = parse_server_url(asked.server);
  if (!server) return usage_error(label, server.error().message);

  std::string method = "GET";
  std::string target;
  std::string body;
  HttpHeaders headers;
  const auto with_query = [&](std::string path) {
    char separator = '?';
    for (const auto& [name, value] : asked.query) {
      path += separator + name + "=" + percent_encoded(value);
      separator = '&';
    }
    return path;
  };
  try {
    if (chosen == "list") {
      target = with_query("/v1/cases");
    } else if (chosen == "show") {
      target = "/v1/cases/" + percent_encoded(asked.case_id) + (asked.at ? "?at=" + percent_encoded(*asked.at) : "");
    } else if (chosen == "history") {
      target = "/v1/cases/" + percent_encoded(asked.case_id) + "/history";
    } else if (chosen == "inbox") {
      asked.query["unit"] = asked.unit;
      target = with_query("/v1/inbox");
    } else if (chosen == "open") {
      method = "POST";
      target = "/v1/cases";
      body = read_body_file(*asked.body_file);
    } else {
      method = "POST";
      target = "/v1/cases/" + percent_encoded(asked.case_id) + "/" + chosen;
      const auto& operation = command_operation(chosen);
      body = body_of(asked, schema_at(operation["requestBody"]["content"]["application/json"]["schema"])).dump();
      if (asked.if_match) headers.emplace_back("If-Match", "\"" + std::to_string(*asked.if_match) + "\"");
    }
  } catch (const std::exception& e) {
    return usage_error(label, e.what());
  }
  if (asked.idempotency_key) headers.emplace_back("Idempotency-Key", *asked.idempotency_key);

  auto answer = http_exchange(*server, method, target, body, headers);
  if (!answer) {
    std::cerr << label << ": " << answer.error().message << "\n";
    return 1;
  }
  if (answer->status >= 400) return print_refusal(label, *answer);
  const auto got = Json::parse(answer->body, nullptr, false);
  if (got.is_discarded()) {
    std::cerr << label << ": the service answered " << answer->status << " with a body that is not JSON\n";
    return 1;
  }
  if (asked.json) {
    out << got.dump(2) << "\n";
  } else if (chosen == "list") {
    print_page(got, out);
  } else if (chosen == "show") {
    print_case(got, out);
  } else if (chosen == "history") {
    print_history(got, out);
  } else if (chosen == "inbox") {
    print_inbox(got, out);
  } else {
    print_decision(chosen, got, out);
  }
  return 0;
}

}  // namespace escalator::tools

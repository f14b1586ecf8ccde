#include "workflows_command.hpp"

#include <cstdlib>
#include <iostream>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "command_line.hpp"
#include "http_client.hpp"
#include "text_table.hpp"

namespace escalator::tools {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kWorkflowsWhat = R"(A running service's workflows (docs/workflows.md, "Versions"), through its HTTP
routes (docs/http.md, "Workflows"): list them with their versions, show one as its file
reads, publish a file as the next version for the cases opened after it, retire a
workflow so that it takes no new cases, or reinstate it. The service is the one at
--server (default: $ESCALATOR_SERVER, else http://127.0.0.1:8345), with the API key in
$ESCALATOR_API_KEY when the service checks keys (docs/access.md).

A file the service refuses is printed as `escalator validate` prints it, each problem
with its line and JSON pointer, and nothing changes.)";

struct Asked {
  std::string server = "http://127.0.0.1:8345";
  bool json = false;
  std::string id;
  std::string file;
  std::string version;
};

// The version line of `GET /v1/workflows`' entry: id, versions, in force or retired.
void print_list(const Json& listed, std::ostream& out) {
  TextTable table;
  table.add_row({"流程", "名称", "优先级", "最新版", "状态", "来源", "发布时间"});
  for (const auto& w : listed.value("workflows", Json::array())) {
    const auto versions = w.value("versions", Json::array());
    const Json latest = versions.empty() ? Json::object() : versions.back();
    table.add_row({w.value("id", ""), w.value("name", ""), std::to_string(w.value("priority", 0)),
                   std::to_string(w.value("latest_version", 0)), w.value("retired", false) ? "停用" : "在用",
                   latest.value("origin", "-"), latest.value("published_at", "-")});
  }
  table.print(out);
}

void print_changed(const std::string& what, const Json& body, std::ostream& out) {
  out << "workflow " << body.value("id", "") << " version " << body.value("latest_version", 0) << ": " << what
      << (body.value("retired", false) ? " (retired: it takes no new cases)" : "") << "\n";
}

}  // namespace

int workflows_command(const std::vector<std::string>& args, const Config&, std::ostream& out) {
  auto app = command_app("escalator workflows", kWorkflowsWhat,
                         "Exits 1 when the service refuses or cannot be reached, 2 on bad arguments.");
  app->require_subcommand(1);
  Asked asked;
  if (const char* server = std::getenv("ESCALATOR_SERVER"); server != nullptr && *server) asked.server = server;
  auto* list = app->add_subcommand("list", "every workflow with its latest version, whether retired, and where it came from");
  auto* show = app->add_subcommand("show", "one workflow as its file reads, the latest version or --version N");
  show->add_option("ID", asked.id, "the workflow's id")->required();
  show->add_option("--version", asked.version, "an older version that open cases follow")->option_text("N");
  auto* publish = app->add_subcommand("publish", "publish a workflow file as the next version of its id (POST /v1/workflows)");
  publish->add_option("FILE", asked.file, "the workflow file (JSON), - for stdin")->required();
  auto* retire = app->add_subcommand("retire", "the workflow takes no new cases; its cases go on by it");
  retire->add_option("ID", asked.id, "the workflow's id")->required();
  auto* reinstate = app->add_subcommand("reinstate", "a retired workflow takes new cases again");
  reinstate->add_option("ID", asked.id, "the workflow's id")->required();
  for (auto* sub : {list, show, publish, retire, reinstate}) {
    sub->add_option("--server", asked.server, "the service, http://HOST[:PORT]")->option_text("URL");
    add_json_flag(*sub, asked.json)->description("print the service's answer as it is, JSON");
  }
  if (auto done = parse_command_line(*app, args, out)) return *done;

  const std::string chosen = chosen_subcommand(*app).get_name();
  const std::string label = "escalator workflows " + chosen;
  auto server = parse_server_url(asked.server);
  if (!server) return usage_error(label, server.error().message);
  std::string method = "POST";
  std::string target;
  std::string body;
  HttpHeaders headers;
  if (chosen == "list") {
    method = "GET";
    target = "/v1/workflows";
  } else if (chosen == "show") {
    method = "GET";
    target = "/v1/workflows/" + percent_encoded(asked.id) +
             (asked.version.empty() ? "" : "?version=" + percent_encoded(asked.version));
  } else if (chosen == "publish") {
    std::ifstream file_in;
    if (asked.file != "-") {
      file_in.open(asked.file, std::ios::binary);
      if (!file_in) return usage_error(label, asked.file + ": cannot be read");
    }
    std::istream& in = asked.file == "-" ? std::cin : file_in;
    body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    target = "/v1/workflows";
    headers.emplace_back("Content-Type", "application/json");
  } else {
    target = "/v1/workflows/" + percent_encoded(asked.id) + "/" + chosen;
  }
  auto answer = http_exchange(*server, method, target, body, headers);
  if (!answer) {
    std::cerr << label << ": " << answer.error().message << "\n";
    return 1;
  }
  if (answer->status >= 400) {
    if (chosen == "publish") {
      // Each fault as `escalator validate` prints it, FILE:LINE: POINTER: reason.
      const auto problem = Json::parse(answer->body, nullptr, false);
      if (problem.is_object() && problem.contains("errors") && problem["errors"].is_array()) {
        for (const auto& fault : problem["errors"]) {
          const std::string pointer = fault.value("pointer", "");
          out << asked.file << ":" << fault.value("line", 1) << ": " << (pointer.empty() ? "" : pointer + ": ")
              << fault.value("detail", "") << "\n";
        }
      }
    }
    return print_refusal(label, *answer);
  }
  const auto got = Json::parse(answer->body, nullptr, false);
  if (asked.json || !got.is_object()) {
    out << answer->body << "\n";
    return 0;
  }
  if (chosen == "list") {
    print_list(got, out);
  } else if (chosen == "show") {
    out << got["workflow"].dump(2) << "\n";
  } else if (chosen == "publish") {
    print_changed(got.value("changed", false) ? "published; cases opened from now on follow it"
                                              : "the same as the latest version, which stays in force",
                  got, out);
  } else {
    const bool changed = got.value("changed", false);
    print_changed(chosen == "retire" ? (changed ? "retired" : "already retired")
                                     : (changed ? "reinstated" : "already in force"),
                  got, out);
  }
  return 0;
}

}  // namespace escalator::tools

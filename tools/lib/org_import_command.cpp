#include "org_import_command.hpp"

#include <iostream>

#include <nlohmann/json.hpp>

#include "calendar_import_command.hpp"
#include "command_line.hpp"
#include "org_commands.hpp"
#include "embedded.hpp"
#include "json_file.hpp"
#include "escalator/store/org_versions.hpp"
#include "escalator/store/store.hpp"
#include "http_client.hpp"
#include "new_store.hpp"
#include "org_csv.hpp"

namespace escalator::tools {
namespace {

constexpr const char* kImportWhat = R"(Stores a new version of the org directory, or a calendar notice, in a store.)";

constexpr const char* kImportOrgWhat = R"(Stores an org directory file as the store's next version.

Reads an org directory file (docs/directory.md), JSON or, for a name ending in .csv, a
spreadsheet saved as CSV (UTF-8, or GB18030/GBK as a Chinese Excel saves plain CSV, which is
converted), and, when it has no problem and differs from the store's newest version, stores
it as the next version: only the records that changed are written.
An engine routes by it from when it next opens; a running service, given --server, from
its next command. A file with problems is refused whole, each
problem as FILE:LINE: POINTER: reason (for CSV, FILE:LINE: COLUMN: reason), and the version
in force stays. Exits 1 when refused.)";

constexpr const char* kImportCalendarWhat = R"(The same as `escalator calendar import` (docs/calendar.md).)";

int import_org(const std::string& file, const std::filesystem::path& data, std::ostream& out) {
  const auto text = read_text_file(file);
  if (!text) {
    out << file << ":1: cannot be read\nrefused: nothing was imported\n";
    return 1;
  }
  auto store = open_existing_store(data);
  if (!store) {
    out << store.error().message << "\nrefused: nothing was imported"
        << (in_use_elsewhere(store.error()) ? "; while the service runs, import into it: escalator import org FILE --server URL"
                                            : "")
        << "\n";
    return 1;
  }
  const std::string source = std::filesystem::path(file).filename().string();
  auto imported = import_org_directory(**store, *text, file, SystemClock().now(), org_file_format(file));
  if (!imported) {
    out << imported.error().message << "\nrefused: nothing was imported\n";
    return 1;
  }
  if (imported->converted_from_gb18030) out << file << ": not UTF-8; read as GB18030 (GBK)\n";
  for (const auto& p : imported->problems) out << p.text() << "\n";
  if (!imported->problems.empty()) {
    out << "refused: nothing was imported; "
        << (imported->in_force == 0
                ? std::string("the store holds no directory yet")
                : "version " + std::to_string(imported->in_force) + " stays in force")
        << "\n";
    return 1;
  }
  if (!imported->stored) {
    out << source << ": the same as version " << imported->in_force << ", which stays in force\n";
    return 0;
  }
  const OrgImport& v = *imported->stored;
  out << "org directory version " << v.version << ": " << v.name << ", from " << v.source << "\n"
      << "records: " << v.added << " added, " << v.changed << " changed, " << v.removed
      << " removed\n"
      << "in force for what an engine decides from when it next opens\n";
  return 0;
}

// POST /v1/directory/versions to the service at `url`: the file imported
// into its running engine, said as an import here is.
int import_org_through_service(const std::string& file, const std::string& url, std::ostream& out) {
  auto server = parse_server_url(url);
  if (!server) return usage_error("escalator import org", server.error().message);
  const auto text = read_text_file(file);
  if (!text) {
    out << file << ":1: cannot be read\nrefused: nothing was imported\n";
    return 1;
  }
  const bool csv = org_file_format(file) == OrgFileFormat::kCsv;
  auto answer = http_exchange(*server, "POST", "/v1/directory/versions", *text,
                              {{"Content-Type", csv ? "text/csv" : "application/json"}}, std::chrono::minutes(10));
  if (!answer) {
    out << "escalator import org: " << answer.error().message << "\nrefused: nothing was imported\n";
    return 1;
  }
  const auto body = nlohmann::json::parse(answer->body, nullptr, false);
  if ((answer->status != 200 && answer->status != 201) || !body.is_object()) {
    if (body.is_object() && body.contains("errors")) {
      for (const auto& e : body["errors"]) {
        const std::string where = e.value("pointer", "");
        out << file << ":" << e.value("line", 1) << ": " << (where.empty() ? "" : where + ": ")
            << e.value("detail", "") << "\n";
      }
    }
    out << "refused by the service (" << answer->status << "): "
        << (body.is_object() ? body.value("detail", answer->body) : answer->body) << "\n";
    return 1;
  }
  if (body.value("converted_from_gb18030", false)) out << file << ": not UTF-8; read as GB18030 (GBK)\n";
  if (!body.value("stored", false)) {
    out << file << ": the same as version " << body.value("version", 0) << ", which stays in force\n";
    return 0;
  }
  out << "org directory version " << body.value("version", 0) << ": " << body.value("name", "") << ", from "
      << file << "\n"
      << "records: " << body.value("added", 0) << " added, " << body.value("changed", 0) << " changed, "
      << body.value("removed", 0) << " removed\n"
      << "in force in the service at " << url << " from its next command\n";
  return 0;
}

}  // namespace

int import_command(const std::vector<std::string>& args, const Config& config, std::ostream& out) {
  auto app = command_app("escalator import", kImportWhat, "Exits 1 when the file is refused.");
  app->require_subcommand(1);
  std::string file;
  std::filesystem::path data;
  auto* org_app = app->add_subcommand("org", kImportOrgWhat);
  auto* calendar_app = app->add_subcommand("calendar", kImportCalendarWhat);
  for (CLI::App* kind : {org_app, calendar_app}) {
    kind->add_option("FILE", file, "the file to import")->required();
    add_data_option(*kind, data, config);
  }
  std::string server;
  auto* server_option =
      org_app->add_option("--server", server,
                          "import into the running service at URL instead, in force from its next command, "
                          "without stopping it (POST /v1/directory/versions)")
          ->option_text("URL");
  org_app->get_option("--data")->excludes(server_option);
  calendar_app
      ->add_option("--server", server,
                   "import into the running service at URL instead (POST /v1/calendar/imports)")
      ->option_text("URL")
      ->excludes(calendar_app->get_option("--data"));
  if (auto done = parse_command_line(*app, args, out)) return *done;
  if (calendar_app->parsed()) {
    if (!server.empty()) return calendar_import_through_service(file, server, out);
    return calendar_import_command(file, data, config, out);
  }
  if (!server.empty()) return import_org_through_service(file, server, out);
  return import_org(file, data, out);
}

int org_versions_command(const std::string& data, bool json, std::ostream& out) {
  auto store = open_existing_store(data);
  if (!store) {
    std::cerr << store.error().message << "\n";
    return 1;
  }
  const auto imports = (*store)->org_imports();
  if (!imports) {
    std::cerr << imports.error().message << "\n";
    return 1;
  }
  if (json) {
    auto listed = nlohmann::ordered_json::array();
    for (const OrgImport& v : *imports) {
      listed.push_back({{"version", v.version},
                        {"imported_at", format_time(v.imported_at)},
                        {"source", v.source},
                        {"name", v.name},
                        {"added", v.added},
                        {"changed", v.changed},
                        {"removed", v.removed},
                        {"digest", v.digest}});
    }
    out << listed.dump(2) << "\n";
    return 0;
  }
  if (imports->empty())
    out << "no org directory in " << data << " yet: an engine's first open stores the sample\n";
  for (const OrgImport& v : *imports) {
    out << v.version << "  " << format_time(v.imported_at) << "  " << v.source << "  " << v.name
        << "  +" << v.added << " ~" << v.changed << " -" << v.removed << "  "
        << v.digest.substr(0, 16) << "\n";
  }
  return 0;
}

int org_export_command(const DirectoryChoice& directory, bool csv, std::ostream& out) {
  std::string json;
  if (!directory.data.empty()) {
    auto store = open_existing_store(directory.data);
    auto file = store ? stored_org_directory_file(**store, directory.version) : tl::unexpected(store.error());
    if (!file) {
      std::cerr << file.error().message << "\n";
      return 1;
    }
    json = std::move(*file);
  } else if (!directory.org.empty()) {
    const auto text = read_text_file(directory.org);
    const OrgFileRead read =
        text ? read_org_file(*text, directory.org, org_file_format(directory.org))
             : OrgFileRead{OrgFile{nullptr, {{directory.org, 1, "", "cannot be read"}}}, ""};
    for (const auto& p : read.file.problems) std::cerr << p.text() << "\n";
    if (!read.file.directory) return 1;
    json = read.json;
  } else {
    json = embedded::sample_org_directory();
  }
  if (csv) {
    out << org_directory_as_csv(json);
  } else {
    out << nlohmann::ordered_json::parse(json).dump(2) << "\n";
  }
  return 0;
}

Result<std::shared_ptr<const OrgChart>> stored_chart(const std::filesystem::path& data,
                                                     std::uint64_t version) {
  auto store = open_existing_store(data);
  if (!store) return tl::unexpected(store.error());
  return stored_org_directory(**store, version);
}

}  // namespace escalator::tools

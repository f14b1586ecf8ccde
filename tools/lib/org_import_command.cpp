#include "org_import_command.hpp"

#include <iostream>

#include <nlohmann/json.hpp>

#include "calendar_import_command.hpp"
#include "cli_options.hpp"
#include "embedded.hpp"
#include "json_file.hpp"
#include "escalator/store/org_versions.hpp"
#include "escalator/store/store.hpp"
#include "new_store.hpp"
#include "org_csv.hpp"

namespace escalator::tools {
namespace {

constexpr const char* kHelp = R"(Usage: escalator import org FILE [--data DIR]
       escalator import calendar FILE [--data DIR]

  org       reads an org directory file (docs/directory.md), JSON or, for a name ending in
            .csv, a spreadsheet saved as CSV UTF-8, and, when it has no problem and
            differs from the store's newest version, stores it as the next version: only the
            records that changed are written. An engine routes by it from when it next opens.
            A file with problems is refused whole, each problem as FILE:LINE: POINTER: reason
            (for CSV, FILE:LINE: COLUMN: reason),
            and the version in force stays. Exits 1 when refused.
  calendar  the same as `escalator calendar import` (docs/calendar.md).

--data DIR is the store (default: the configuration's data_dir, ./data).
)";

int import_org(const std::vector<std::string>& args, const Config& config, std::ostream& out) {
  std::vector<std::string> files;
  const auto options = options_of(args, {"--data"}, kHelp, &files);
  if (!options) return 2;
  if (files.size() != 1) {
    std::cerr << "import org: expected one file\n\n" << kHelp;
    return 2;
  }
  const std::string data =
      options->contains("--data") ? options->at("--data") : config.data_dir.string();
  const auto text = read_text_file(files[0]);
  if (!text) {
    out << files[0] << ":1: cannot be read\nrefused: nothing was imported\n";
    return 1;
  }
  auto store = open_existing_store(data);
  if (!store) {
    out << store.error().message << "\nrefused: nothing was imported\n";
    return 1;
  }
  const std::string source = std::filesystem::path(files[0]).filename().string();
  auto imported = import_org_directory(**store, *text, files[0], SystemClock().now(),
                                       org_file_format(files[0]));
  if (!imported) {
    out << imported.error().message << "\nrefused: nothing was imported\n";
    return 1;
  }
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

}  // namespace

int import_command(const std::vector<std::string>& args, const Config& config, std::ostream& out) {
  if (args.empty() || wants_help(args)) {
    std::cout << kHelp;
    return args.empty() ? 2 : 0;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "org") return import_org(rest, config, out);
  if (args[0] == "calendar") return calendar_import_command(rest, config, out);
  std::cerr << "import: unknown kind '" << args[0] << "'\n\n" << kHelp;
  return 2;
}

int org_versions_command(const std::string& data, std::ostream& out) {
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
  if (imports->empty())
    out << "no org directory in " << data << " yet: an engine's first open stores the sample\n";
  for (const OrgImport& v : *imports) {
    out << v.version << "  " << format_time(v.imported_at) << "  " << v.source << "  " << v.name
        << "  +" << v.added << " ~" << v.changed << " -" << v.removed << "  "
        << v.digest.substr(0, 16) << "\n";
  }
  return 0;
}

int org_export_command(const std::map<std::string, std::string>& options, std::ostream& out) {
  const auto format = options.find("--format");
  if (format != options.end() && format->second != "json" && format->second != "csv") {
    std::cerr << "--format: expected json or csv, but got '" << format->second << "'\n";
    return 2;
  }
  std::string json;
  if (const auto data = options.find("--data"); data != options.end()) {
    std::uint64_t version = 0;
    if (const auto v = options.find("--version"); v != options.end()) {
      const auto parsed = version_number(v->second);
      if (!parsed) return 2;
      version = *parsed;
    }
    auto store = open_existing_store(data->second);
    auto file = store ? stored_org_directory_file(**store, version) : tl::unexpected(store.error());
    if (!file) {
      std::cerr << file.error().message << "\n";
      return 1;
    }
    json = std::move(*file);
  } else if (const auto org = options.find("--org"); org != options.end()) {
    const auto text = read_text_file(org->second);
    const OrgFileRead read =
        text ? read_org_file(*text, org->second, org_file_format(org->second))
             : OrgFileRead{OrgFile{nullptr, {{org->second, 1, "", "cannot be read"}}}, ""};
    for (const auto& p : read.file.problems) std::cerr << p.text() << "\n";
    if (!read.file.directory) return 1;
    json = read.json;
  } else {
    json = embedded::sample_org_directory();
  }
  if (format != options.end() && format->second == "csv") {
    out << org_directory_as_csv(json);
  } else {
    out << nlohmann::ordered_json::parse(json).dump(2) << "\n";
  }
  return 0;
}

std::optional<std::uint64_t> version_number(const std::string& text) {
  try {
    std::size_t used = 0;
    const std::uint64_t version = std::stoull(text, &used);
    if (used == text.size() && version > 0) return version;
  } catch (const std::exception&) {
  }
  std::cerr << "--version: expected a version number, but got '" << text << "'\n";
  return std::nullopt;
}

Result<std::shared_ptr<const OrgChart>> stored_chart(const std::filesystem::path& data,
                                                     std::uint64_t version) {
  auto store = open_existing_store(data);
  if (!store) return tl::unexpected(store.error());
  return stored_org_directory(**store, version);
}

}  // namespace escalator::tools

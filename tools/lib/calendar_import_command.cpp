#include "calendar_import_command.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "escalator/engine/engine.hpp"
#include "escalator/store/store.hpp"
#include "command_line.hpp"
#include "http_client.hpp"
#include "new_store.hpp"
#include "terminal_progress.hpp"

namespace escalator::tools {
namespace {

std::string notices_of(const CalendarYear& year) {
  std::string text;
  for (const auto& n : year.notices) text += (text.empty() ? "" : "; ") + n.title;
  return text;
}

int refuse_unread(const std::filesystem::path& file, std::ostream& out) {
  out << "Cannot read " << file.string() << "\nrefused: nothing was imported\n";
  return 1;
}

}  // namespace

Result<std::shared_ptr<const OfficialCalendar>> calendar_of_store(const std::filesystem::path& data,
                                                                 const Config& config) {
  auto store = open_existing_store(data);
  if (!store) return tl::unexpected(store.error());
  auto imports = (*store)->calendar_imports();
  if (!imports) return tl::unexpected(imports.error());
  const auto shipped = shipped_calendar()->with_working_hours(config.working_hours);
  if (imports->empty()) return shipped;
  return calendar_with_imports(*shipped, *imports, imports->size());
}

int calendar_import_command(const std::filesystem::path& file, const std::filesystem::path& data, const Config& config,
                            std::ostream& out) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) return refuse_unread(file, out);
  const auto refuse = [&](const Error& error) {
    out << error.message << "\nrefused: nothing was imported\n";
    return 1;
  };
  auto year = parse_calendar_year(text.str(), file.string());
  if (!year) return refuse(year.error());
  auto store = open_existing_store(data);
  if (!store && in_use_elsewhere(store.error())) {
    out << store.error().message
        << "\nrefused: nothing was imported; while the service runs, import into it: escalator calendar import FILE "
           "--server URL\n";
    return 1;
  }
  if (!store) return refuse(store.error());
  auto imports = (*store)->calendar_imports();
  if (!imports) return refuse(imports.error());
  // The same file again, as a rerun after a kill: the year in force is already
  // this one, and a new version would only recompute deadlines for nothing.
  for (auto it = imports->rbegin(); it != imports->rend(); ++it) {
    const auto earlier = parse_calendar_year(it->text, it->source);
    if (!earlier || earlier->year != year->year) continue;
    if (it->text == text.str()) {
      out << file.filename().string() << ": the same as calendar import " << it->version
          << ", which stays in force\n";
      return 0;
    }
    break;  // a later import of the year replaced it: this one is new
  }

  // Tried with every import before it first: an import that clashes with
  // another year's must never reach the store, which could not open after it.
  CalendarImport import{imports->size() + 1, SystemClock().now(), file.filename().string(), text.str()};
  imports->push_back(import);
  const auto shipped = shipped_calendar()->with_working_hours(config.working_hours);
  if (auto tried = calendar_with_imports(*shipped, *imports, import.version); !tried) return refuse(tried.error());
  if (auto added = (*store)->add_calendar_import(import); !added) return refuse(added.error());
  out << "calendar import " << import.version << ": " << import.source << ", the year " << year->year << " ("
      << notices_of(*year) << ")\n";

  EngineOptions options;
  options.config = config;
  options.clock = std::make_shared<SystemClock>();
  options.store = *store;
  auto engine = [&] {
    TerminalProgress progress("calendar import: recomputing deadlines");
    options.progress = progress.callback();
    return Engine::open(std::move(options));
  }();
  if (!engine) {
    out << engine.error().message << "\nthe import is stored; its deadlines are recomputed when the store opens\n";
    return 1;
  }
  out << "in force: " << (*engine)->calendar()->version() << "\n";
  const auto& recount = (*engine)->calendar_recount();
  if (!recount) return 0;
  out << "running deadlines: " << count_of(recount->cases_checked, "case", "cases") << " checked, "
      << recount->cases_moved << " moved (a DeadlinesRecomputed event each)\n";
  for (const auto& problem : recount->problems) out << "not recomputed: " << problem << "\n";
  if (recount->problems.empty()) return 0;
  out << "the import is stored; the cases above are recomputed when the store next opens\n";
  return 1;
}

int calendar_import_through_service(const std::filesystem::path& file, const std::string& url, std::ostream& out) {
  auto server = parse_server_url(url);
  if (!server) return usage_error("escalator calendar import", server.error().message);
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) return refuse_unread(file, out);
  // The recount carries every running deadline before the service answers.
  auto answer = http_exchange(*server, "POST", "/v1/calendar/imports", text.str(),
                              {{"Content-Type", "application/json"}}, std::chrono::hours(1));
  if (!answer) {
    out << "escalator calendar import: " << answer.error().message << "\nrefused: nothing was imported\n";
    return 1;
  }
  const auto body = nlohmann::json::parse(answer->body, nullptr, false);
  if ((answer->status != 200 && answer->status != 201) || !body.is_object()) {
    out << "refused by the service (" << answer->status
        << "): " << (body.is_object() ? body.value("detail", answer->body) : answer->body) << "\n";
    return 1;
  }
  if (!body.value("stored", false)) {
    out << file.filename().string() << ": the same as calendar import " << body.value("version", 0)
        << ", which stays in force\n";
    return 0;
  }
  out << "calendar import " << body.value("version", 0) << ": " << file.filename().string() << ", the year "
      << body.value("year", 0) << "\n"
      << "in force: " << body.value("calendar", "") << "\n"
      << "running deadlines: " << count_of(body.value("cases_checked", 0), "case", "cases") << " checked, "
      << body.value("cases_moved", 0) << " moved by the recount (a DeadlinesRecomputed event each)\n";
  const auto missed = body.value("not_recomputed", nlohmann::json::array());
  for (const auto& problem : missed) out << "not recomputed: " << problem.get<std::string>() << "\n";
  return missed.empty() ? 0 : 1;
}

int calendar_imports_command(const std::filesystem::path& data, bool json, std::ostream& out) {
  auto store = open_existing_store(data);
  if (!store) {
    std::cerr << store.error().message << "\n";
    return 1;
  }
  auto imports = (*store)->calendar_imports();
  auto applied = (*store)->calendar_applied();
  if (!imports || !applied) {
    std::cerr << (imports ? applied.error().message : imports.error().message) << "\n";
    return 1;
  }
  if (json) {
    auto listed = nlohmann::ordered_json::array();
    for (const auto& import : *imports) {
      auto year = parse_calendar_year(import.text, import.source);
      auto notices = nlohmann::ordered_json::array();
      if (year) {
        for (const auto& n : year->notices) notices.push_back(n.title);
      }
      listed.push_back({{"version", import.version},
                        {"imported_at", format_time(import.imported_at)},
                        {"source", import.source},
                        {"year", year ? nlohmann::ordered_json(year->year) : nlohmann::ordered_json(nullptr)},
                        {"notices", notices},
                        {"deadlines_recomputed", import.version <= *applied}});
    }
    out << listed.dump(2) << "\n";
    return 0;
  }
  for (const auto& import : *imports) {
    auto year = parse_calendar_year(import.text, import.source);
    out << import.version << "  " << format_time(import.imported_at) << "  " << import.source << "  "
        << (year ? std::to_string(year->year) + " " + notices_of(*year) : "unreadable: " + year.error().message)
        << (import.version > *applied ? "  (deadlines not yet recomputed)" : "") << "\n";
  }
  if (imports->empty()) out << "no calendar imports: the shipped calendar is in force\n";
  return 0;
}

}  // namespace escalator::tools

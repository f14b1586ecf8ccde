#include "erase_command.hpp"

#include <iostream>

#include "command_line.hpp"
#include "escalator/engine/engine.hpp"
#include "escalator/store/store.hpp"
#include "new_store.hpp"

namespace escalator::tools {
namespace {

constexpr const char* kEraseWhat = R"(Erases residents' personal data (docs/history.md, "Erasure"). For each case of the resident
(the cases whose reporter's phone or channel account is PHONE_OR_ACCOUNT; a phone matches
however it is written, "+86 138-0000-0000" and "13800000000" alike), or for the one case
named, the engine records a PersonalDataErased event and the store deletes, in the same
write, the reporter's name, phone and account, the address below the building and the text
of the complaint, with the salts the history's commitments were made with. Only a case that
is over (closed, withdrawn, merged or returned) is erased; any other is listed as refused
and keeps its data. Then every file of the store is rewritten (flushed and compacted), so
that the erased text is in none of them, write-ahead logs included. The history keeps its
commitments: `escalator audit verify` still passes. Running it again is safe. The store must
not be in use.)";

}  // namespace

int erase_command(const std::vector<std::string>& args, const Config& config, std::ostream& out) {
  auto app = command_app("escalator erase", kEraseWhat,
                         "Exits 0 when every case found was erased (or had been), 1 when one was refused, none was\n"
                         "found or the store could not be rewritten, 2 on bad arguments.");
  std::filesystem::path data;
  std::string resident;
  std::string case_id;
  std::string reason = "保存期满";
  std::string actor = "erase";
  add_data_option(*app, data, config);
  auto* resident_option =
      app->add_option("--resident", resident, "the resident's phone or channel account")->option_text("PHONE_OR_ACCOUNT");
  auto* case_option = app->add_option("--case", case_id, "one case")->option_text("CASE_ID");
  resident_option->excludes(case_option);
  app->add_option("--reason", reason, "why, recorded in each event")->option_text("TEXT")->capture_default_str();
  app->add_option("--actor", actor, "who erases, recorded in each event")->option_text("ID")->capture_default_str();
  if (auto done = parse_command_line(*app, args, out)) return *done;
  if (resident.empty() == case_id.empty()) {
    return usage_error("escalator erase", "name the resident (--resident PHONE_OR_ACCOUNT) or the case (--case CASE_ID)");
  }
  auto store = open_existing_store(data);
  if (!store) {
    out << store.error().message << "\n";
    return 1;
  }
  if ((*store)->finished_a_purge_when_opened()) {
    out << "finished the purge an earlier erasure left unfinished: the store's files are rewritten without what it "
           "erased\n";
  }
  std::vector<std::string> cases;
  if (!case_id.empty()) {
    cases.push_back(case_id);
  } else if (auto found = (*store)->cases_of_resident(resident); found) {
    cases = std::move(*found);
  } else {
    out << found.error().message << "\n";
    return 1;
  }
  if (cases.empty()) {
    // Nothing to write, so nothing to rewrite: an erasure an earlier run left
    // unfinished was finished when the store opened (above).
    out << "no case holds personal data of " << resident << "; nothing was erased\n";
    return 1;
  }

  EngineOptions options;
  options.config = config;
  options.config.limits.worker_threads = 0;
  options.clock = std::make_shared<SystemClock>();
  options.store = *store;
  auto engine = Engine::open(std::move(options));
  if (!engine) {
    out << engine.error().message << "\n";
    return 1;
  }
  std::size_t erased = 0;
  for (const auto& id : cases) {
    // One key per case, so that a rerun after a crash finds its erasure done.
    auto decided = (*engine)->submit(Command{id, "erase/" + id, std::nullopt, actor, cmd::ErasePersonalData{reason}}).get();
    if (decided) {
      ++erased;
      out << (decided->duplicate ? "already erased " : "erased ") << id << "\n";
    } else {
      out << "refused " << id << ": " << decided.error().message << "\n";
    }
  }
  engine->reset();
  // Always, so that a rerun finishes what a crash after the writes left in the files.
  auto purged = (*store)->purge_deleted();
  // RocksDB's manifest logs the first and last key of every file it ever
  // listed, and a key of the callers' index is a digest of a phone: opening
  // the store again starts a manifest that lists only the files in use.
  store->reset();
  if (purged) {
    if (auto reopened = open_existing_store(data); !reopened) purged = tl::unexpected(reopened.error());
  }
  out << erased << " erased, " << cases.size() - erased << " refused; "
      << (purged ? "the store's files are rewritten\n" : "the store's files could not be rewritten: " +
                                                             purged.error().message + "\n");
  return purged && erased == cases.size() ? 0 : 1;
}

}  // namespace escalator::tools

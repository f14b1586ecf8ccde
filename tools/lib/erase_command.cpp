#include "erase_command.hpp"

#include <iostream>

#include "cli_options.hpp"
#include "escalator/engine/engine.hpp"
#include "escalator/store/store.hpp"
#include "new_store.hpp"

namespace escalator::tools {
namespace {

constexpr const char* kEraseHelp = R"(Usage: escalator erase --data DIR (--resident PHONE_OR_ACCOUNT | --case CASE_ID)
                       [--reason TEXT] [--actor ID]

Erases residents' personal data (docs/history.md, "Erasure"). For each case of the resident
(the cases whose reporter's phone or channel account is exactly PHONE_OR_ACCOUNT, as
recorded), or for the one case named, the engine records a PersonalDataErased event and the
store deletes, in the same write, the reporter's name, phone and account, the address below
the building and the text of the complaint, with the salts the history's commitments were
made with. Only a case that is over (closed, withdrawn, merged or returned) is erased; any other is
listed as refused and keeps its data. Then every file of the store is rewritten (flushed and
compacted), so that the erased text is in none of them, write-ahead logs included. The
history keeps its commitments: `escalator audit verify` still passes. Running it again is
safe. The store must not be in use.

  --reason  why, recorded in each event (default: 保存期满, the retention period ended)
  --actor   who erases, recorded in each event (default: erase)

Exits 0 when every case found was erased (or had been), 1 when one was refused, none was
found or the store could not be rewritten, 2 on bad arguments.
)";

}  // namespace

int erase_command(const std::vector<std::string>& args, const Config& config, std::ostream& out) {
  if (wants_help(args)) {
    out << kEraseHelp;
    return 0;
  }
  auto o = options_of(args, {"--data", "--resident", "--case", "--reason", "--actor"}, kEraseHelp);
  if (!o) return 2;
  if (!o->contains("--data") || o->contains("--resident") == o->contains("--case")) {
    std::cerr << "escalator erase: expected --data and one of --resident and --case\n\n" << kEraseHelp;
    return 2;
  }
  auto store = open_existing_store(o->at("--data"));
  if (!store) {
    out << store.error().message << "\n";
    return 1;
  }
  if ((*store)->finished_a_purge_when_opened()) {
    out << "finished the purge an earlier erasure left unfinished: the store's files are rewritten without what it "
           "erased\n";
  }
  std::vector<std::string> cases;
  if (o->contains("--case")) {
    cases.push_back(o->at("--case"));
  } else if (auto found = (*store)->cases_of_resident(o->at("--resident")); found) {
    cases = std::move(*found);
  } else {
    out << found.error().message << "\n";
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
  const std::string reason = o->contains("--reason") ? o->at("--reason") : "保存期满";
  const std::string actor = o->contains("--actor") ? o->at("--actor") : "erase";
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
    if (auto reopened = open_existing_store(o->at("--data")); !reopened) purged = tl::unexpected(reopened.error());
  }
  if (cases.empty()) out << "no case holds personal data of " << o->at("--resident") << "\n";
  out << erased << " erased, " << cases.size() - erased << " refused; "
      << (purged ? "the store's files are rewritten\n" : "the store's files could not be rewritten: " +
                                                             purged.error().message + "\n");
  return purged && !cases.empty() && erased == cases.size() ? 0 : 1;
}

}  // namespace escalator::tools

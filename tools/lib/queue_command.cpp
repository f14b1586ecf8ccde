#include "queue_command.hpp"

#include <iostream>

#include <nlohmann/json.hpp>

#include "command_line.hpp"
#include "escalator/store/store.hpp"
#include "new_store.hpp"
#include "text_table.hpp"

namespace escalator::tools {
namespace {

constexpr const char* kQueueWhat = R"(The dispatcher queue (docs/directory.md, "The dispatcher queue"): every case of the store
that routing could not place or find a holder for, and that no dispatcher has sent on yet,
oldest first: its id, when it was opened, its category, the compound or building it named
(or -), and what routing said. A dispatcher sends one on with a dispatch that names the
lead unit. Reads every case of the store.)";

}  // namespace

int queue_command(const std::vector<std::string>& args, const Config& config, std::ostream& out) {
  auto app = command_app("escalator queue", kQueueWhat, "Exits 1 when the store cannot be read.");
  std::filesystem::path data;
  bool json = false;
  add_data_option(*app, data, config);
  add_json_flag(*app, json);
  if (auto done = parse_command_line(*app, args, out)) return *done;
  auto store = open_store_to_read(data);
  if (!store) {
    std::cerr << store.error().message << "\n";
    return 1;
  }
  auto directory = directory_of_store(**store);
  if (!directory) {
    std::cerr << directory.error().message << "\n";
    return 1;
  }
  int waiting = 0;
  auto listed = nlohmann::ordered_json::array();
  TextTable table;
  table.add_row({"case", "opened", "category", "place", "why it waits"});
  for (const std::string& id : (*store)->case_ids()) {
    auto stored = (*store)->load(id);
    if (!stored) {
      std::cerr << stored.error().message << "\n";
      return 1;
    }
    const CaseState& k = (*stored)->snapshot;
    if (k.state != LifecycleState::kNew || !k.waiting_for_dispatcher) continue;
    const std::string& place_id = k.location.building.empty() ? k.location.compound : k.location.building;
    const OrgPlace* place = place_id.empty() ? nullptr : (*directory)->place(place_id, k.opened_at);
    listed.push_back({{"case_id", k.id},
                      {"opened_at", format_time(k.opened_at)},
                      {"category", k.category},
                      {"place", place_id.empty() ? nlohmann::ordered_json(nullptr)
                                                 : nlohmann::ordered_json{{"id", place_id},
                                                                          {"name", place ? place->name : ""}}},
                      {"reason", *k.waiting_for_dispatcher}});
    table.add_row({k.id, format_time(k.opened_at), k.category.empty() ? "-" : k.category,
                   place_id.empty() ? "-" : place == nullptr ? place_id : place_id + " " + place->name,
                   *k.waiting_for_dispatcher});
    ++waiting;
  }
  if (json) {
    out << listed.dump(2) << "\n";
    return 0;
  }
  if (waiting > 0) table.print(out);
  out << count_of(static_cast<std::size_t>(waiting), "case waits", "cases wait") << " for a dispatcher\n";
  return 0;
}

}  // namespace escalator::tools

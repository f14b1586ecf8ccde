// `escalator erase`: a resident's personal data leaves every file of the
// store, the history stays whole, and an open case keeps its data.
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <random>
#include <sstream>

#include "cli_support.hpp"
#include "erase_command.hpp"
#include "escalator/store/audit.hpp"
#include "escalator/engine/engine.hpp"
#include "repeat_calls.hpp"

namespace fs = std::filesystem;
using namespace escalator;

using testing::Ran;
using testing::ScratchDir;

namespace {

Ran erase(const std::vector<std::string>& args) { return testing::run(tools::erase_command, args); }

struct Resident {
  std::string name, phone, account, address, content;
};
// The erased resident's data is spelled so that no other record can hold it by chance.
const Resident kErased{"欧阳娜娜", "13976543210", "oErasedAccount0000000000000", "7号楼3单元1102",
                       "1102室外墙渗水，联系欧阳娜娜13976543210"};
const Resident kKept{"司马光明", "13812340987", "", "9号楼1单元201", "201室楼道灯坏了"};

// The files under `dir` that hold `text`, byte for byte.
std::vector<std::string> files_holding(const fs::path& dir, const std::string& text) {
  std::vector<std::string> found;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.find(text) != std::string::npos) found.push_back(entry.path().filename().string());
  }
  return found;
}

// Opens a case for each of `residents`; closes those whose `close` is true.
std::vector<std::string> store_cases(const fs::path& data, const std::vector<std::pair<Resident, bool>>& residents) {
  DurableStoreOptions where;
  where.path = data;
  auto store = open_durable_store(where);
  REQUIRE_MESSAGE(store.has_value(), store.error().message);
  EngineOptions options;
  options.config.limits.worker_threads = 0;
  options.clock = std::make_shared<SystemClock>();
  options.store = *store;
  auto engine = std::move(*Engine::open(std::move(options)));
  std::vector<std::string> ids;
  for (const auto& [r, close] : residents) {
    const std::string key = "GD-" + std::to_string(ids.size());
    cmd::Open open;
    open.channel = Channel::kWeChat;
    open.category = "物业/漏水";
    open.location = Location{"370811", "", "", "", "yangguang-garden", "", r.address};
    open.first_contact = Party{"hotline.12345", ""};
    open.reporter = Reporter{r.name, r.phone, r.account};
    open.content = r.content;
    auto send = [&](std::string id, std::string k, CommandPayload payload) {
      auto decided = engine->submit(Command{std::move(id), std::move(k), std::nullopt, "test", std::move(payload)}).get();
      REQUIRE_MESSAGE(decided.has_value(), decided.error().message);
      return decided->case_id;
    };
    const auto id = send("", key, open);
    if (close) {
      send(id, key + "/reply", cmd::ReplyOnSpot{Outcome::kResolved, "已处理"});
      send(id, key + "/rate", cmd::Rate{Rating::kSatisfied, ""});
      send(id, key + "/close", cmd::Close{""});
    }
    ids.push_back(id);
  }
  return ids;
}

}  // namespace

TEST_CASE("ErasingAResidentLeavesNoTraceOfThemInAnyFileAndTheHistoryWhole") {
  ScratchDir dir;
  const fs::path data = dir.path / "store";
  const auto ids = store_cases(data, {{kErased, true}, {kKept, true}, {kErased, true}});
  // The index of callers holds digests of the phone and account (repeat_calls.hpp).
  const Location place{"370811", "", "", "", "yangguang-garden", "", ""};
  const auto erased_digests = repeat_calls::digests_of({"", kErased.phone, kErased.account}, place, "物业/漏水");
  const auto kept_digests = repeat_calls::digests_of({"", kKept.phone, ""}, place, "物业/漏水");
  REQUIRE(erased_digests.size() == 2);
  // The search can see what is there: before the erasure, both residents are found.
  for (const auto* text : {&kErased.phone, &kErased.content, &kKept.phone, &erased_digests[0], &erased_digests[1],
                           &kept_digests[0]}) {
    CHECK_MESSAGE(!files_holding(data, *text).empty(), *text);
  }

  const auto ran = erase({"--data", data.string(), "--resident", kErased.phone, "--reason", "保存期满"});
  CHECK_MESSAGE(ran.code == 0, ran.out);
  CHECK(ran.out == "erased " + ids[0] + "\nerased " + ids[2] + "\n2 erased, 0 refused; the store's files are rewritten\n");

  for (const auto* text : {&kErased.name, &kErased.phone, &kErased.account, &kErased.address, &kErased.content,
                           &erased_digests[0], &erased_digests[1]}) {
    CHECK_MESSAGE(files_holding(data, *text).empty(), *text);
  }
  // The other resident is where the search looks, so not finding the first means something.
  CHECK_FALSE(files_holding(data, kKept.phone).empty());
  CHECK_FALSE(files_holding(data, kKept.content).empty());
  CHECK_FALSE(files_holding(data, kept_digests[0]).empty());

  const auto audit = audit_store(data);
  REQUIRE_MESSAGE(audit.has_value(), audit.error().message);
  CHECK(audit->breaks.empty());
  CHECK(audit->personal_records == 1);

  DurableStoreOptions where;
  where.path = data;
  auto store = open_durable_store(where);
  REQUIRE(store.has_value());
  const auto erased = (*store)->load(ids[0]);
  REQUIRE(erased.has_value());
  const CaseState& k = (*erased)->snapshot;
  CHECK(k.reporter == Reporter{});
  CHECK(k.content.empty());
  CHECK(k.location.address.empty());
  CHECK(k.personal_data_erased_at.has_value());
  CHECK(k.personal.reporter_phone.size() == 64);  // the commitment stays
  CHECK(std::holds_alternative<ev::PersonalDataErased>((*erased)->events.back().payload));
  CHECK((*(*store)->load(ids[1]))->snapshot.reporter.phone == kKept.phone);
  // The second call of the erased resident had named the first; neither is found now.
  const auto second_case = (*store)->load(ids[2]);
  REQUIRE(second_case.has_value());
  const auto& second = std::get<ev::CaseOpened>((*second_case)->events.front().payload);
  REQUIRE(second.earlier_call.has_value());
  CHECK(second.earlier_call->case_id == ids[0]);
  CHECK((*store)->previous_call(erased_digests, Timestamp::max())->has_value() == false);
  const auto kept_call = (*store)->previous_call(kept_digests, Timestamp::max());
  REQUIRE(kept_call.has_value());
  REQUIRE(kept_call->has_value());
  CHECK((*kept_call)->case_id == ids[1]);
}

TEST_CASE("ACaseStillOpenIsRefusedAndKeepsItsData") {
  ScratchDir dir;
  const fs::path data = dir.path / "store";
  const auto ids = store_cases(data, {{kErased, false}});
  const auto ran = erase({"--data", data.string(), "--case", ids[0]});
  CHECK(ran.code == 1);
  CHECK(ran.out.starts_with("refused " + ids[0] + ": Expected to erase the personal data of case " + ids[0] +
                            " in state Closed, Withdrawn, Merged or Returned, but it is New\n"));
  CHECK_FALSE(files_holding(data, kErased.phone).empty());
}

TEST_CASE("APhoneIsMatchedHoweverItIsWrittenAsRepeatCallsMatchIt") {
  ScratchDir dir;
  const fs::path data = dir.path / "store";
  const auto ids = store_cases(data, {{kErased, true}, {kKept, true}});
  // kErased.phone is 13976543210, stored as given.
  const auto ran = erase({"--data", data.string(), "--resident", "+86 139-7654-3210"});
  CHECK_MESSAGE(ran.code == 0, ran.out);
  CHECK(ran.out == "erased " + ids[0] + "\n1 erased, 0 refused; the store's files are rewritten\n");
  CHECK(files_holding(data, kErased.content).empty());
  CHECK_FALSE(files_holding(data, kKept.content).empty());
}

TEST_CASE("AnUnknownResidentErasesNothingAndSaysSo") {
  ScratchDir dir;
  const fs::path data = dir.path / "store";
  store_cases(data, {{kKept, true}});
  const auto ran = erase({"--data", data.string(), "--resident", "13900000000"});
  CHECK(ran.code == 1);
  CHECK(ran.out == "no case holds personal data of 13900000000; nothing was erased\n");
  CHECK_FALSE(files_holding(data, kKept.content).empty());
}

TEST_CASE("EraseSaysWhatItNeeds") {
  CHECK(erase({"--data", "x"}).code == 2);
  CHECK(erase({"--data", "x", "--case", "a", "--resident", "b"}).code == 2);
  ScratchDir dir;
  const auto missing = erase({"--data", (dir.path / "none").string(), "--case", "a"});
  CHECK(missing.code == 1);
  CHECK(missing.out.starts_with("No store at"));
}

TEST_CASE("AnErasureStoppedBeforeItRewroteTheFilesIsFinishedByTheRerunWhichSaysSo") {
  ScratchDir dir;
  const fs::path data = dir.path / "store";
  const auto ids = store_cases(data, {{kErased, true}, {kKept, true}});
  {
    // The erasure written, and the process gone before the files were rewritten.
    DurableStoreOptions where;
    where.path = data;
    auto store = open_durable_store(where);
    REQUIRE(store.has_value());
    EngineOptions options;
    options.config.limits.worker_threads = 0;
    options.clock = std::make_shared<SystemClock>();
    options.store = *store;
    auto engine = std::move(*Engine::open(std::move(options)));
    REQUIRE(engine->submit(Command{ids[0], "erase/" + ids[0], std::nullopt, "erase", cmd::ErasePersonalData{"保存期满"}})
                .get()
                .has_value());
  }
  CHECK_FALSE(files_holding(data, kErased.content).empty());  // what the issue is about

  const auto ran = erase({"--data", data.string(), "--case", ids[0]});
  CHECK_MESSAGE(ran.code == 0, ran.out);
  CHECK(ran.out == "finished the purge an earlier erasure left unfinished: the store's files are rewritten without "
                   "what it erased\nalready erased " + ids[0] + "\n1 erased, 0 refused; the store's files are rewritten\n");
  CHECK(files_holding(data, kErased.content).empty());
  CHECK_FALSE(files_holding(data, kKept.content).empty());

  // Nothing is pending now: a further run says nothing of a purge.
  const auto again = erase({"--data", data.string(), "--case", ids[0]});
  CHECK(again.out.starts_with("already erased " + ids[0] + "\n"));
}

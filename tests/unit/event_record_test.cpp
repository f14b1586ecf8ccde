#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "escalator/lifecycle/history.hpp"
#include "event_record.hpp"
#include "sha256.hpp"

using namespace escalator;

namespace {

// An event text whose strings hold what the record's own tail looks like.
constexpr std::string_view kTricky =
    R"({"data":{"note":"\",\"hash\":\"00\",\"position\":7,\"prev_hash\":\"\"}"},"seq":1,"type":"CaseOpened"})";

std::string sealed_record(std::string_view canonical, std::uint64_t position) {
  const std::string prev(kGenesisHash);
  return event_record::encode(canonical, *chained_hash(prev, canonical), position, prev);
}

}  // namespace

TEST_CASE("ARecordSplitsIntoTheBytesItWasMadeOfWhateverTheEventHolds") {
  const std::string value = sealed_record(kTricky, 42);
  const auto parts = event_record::split(value);
  REQUIRE(parts.has_value());
  CHECK(parts->canonical == kTricky);
  CHECK(parts->position == 42);
  CHECK(parts->prev_hash == kGenesisHash);
  CHECK(parts->hash == *chained_hash(kGenesisHash, kTricky));
  CHECK(event_record::ChainHead{}.advance(*parts));
}

TEST_CASE("ASealHoldsOnlyOverTheBytesAndThePrevHashItWasTakenOver") {
  std::string changed_byte = sealed_record(kTricky, 1);
  changed_byte[changed_byte.find("CaseOpened")] = 'c';
  CHECK_FALSE(event_record::ChainHead{}.advance(*event_record::split(changed_byte)));

  const std::string other_prev(64, 'a');
  const std::string moved =
      event_record::encode(kTricky, *chained_hash(kGenesisHash, kTricky), 1, other_prev);
  CHECK_FALSE(event_record::ChainHead{}.advance(*event_record::split(moved)));
}

TEST_CASE("AChainHeadFollowsSealedRecordsAndRecoversAfterOneThatIsNot") {
  // Three records chained from genesis; the second's bytes are then changed,
  // so its seal breaks, while the third still names the second's stored hash.
  const std::string texts[] = {R"({"seq":1})", R"({"seq":2})", R"({"seq":3})"};
  std::string prev(kGenesisHash);
  std::vector<std::string> records;
  for (std::size_t i = 0; i < 3; ++i) {
    const auto hash = *chained_hash(prev, texts[i]);
    records.push_back(event_record::encode(texts[i], hash, i + 1, prev));
    prev = hash;
  }
  event_record::ChainHead head;
  CHECK(head.hash() == kGenesisHash);
  for (const auto& record : records) {
    const auto parts = event_record::split(record);
    CHECK(parts->prev_hash == head.hash());
    CHECK(head.advance(*parts));
    CHECK(head.hash() == parts->hash);
  }

  records[1].replace(records[1].find(R"("seq":2)"), 7, R"("seq":7)");
  event_record::ChainHead again;
  CHECK(again.advance(*event_record::split(records[0])));
  CHECK_FALSE(again.advance(*event_record::split(records[1])));
  CHECK(again.hash() == event_record::split(records[1])->hash);  // what the next record must name
  CHECK(again.advance(*event_record::split(records[2])));

  // A record that names another prev_hash is checked over the one it names.
  event_record::ChainHead elsewhere;
  CHECK(elsewhere.advance(*event_record::split(records[2])));
}

TEST_CASE("AValueNotOfTheRecordsFormDoesNotSplit") {
  const std::string value = sealed_record(kTricky, 90);
  const auto hash_at = value.rfind(R"(,"hash":")") + 9;
  auto with = [&](std::size_t at, std::size_t n, std::string_view instead) {
    return std::string(value).replace(at, n, instead);
  };
  std::string upper = value;
  for (std::size_t i = hash_at; i < hash_at + 64; ++i)
    upper[i] = static_cast<char>(std::toupper(upper[i]));
  CHECK_FALSE(event_record::split(upper).has_value());  // hex other than to_hex's
  CHECK_FALSE(
      event_record::split(with(value.find(":90,"), 3, ":090")).has_value());       // a leading zero
  CHECK_FALSE(event_record::split(with(value.find(":90,"), 3, ":")).has_value());  // no position
  CHECK_FALSE(
      event_record::split(with(value.find(":90,"), 3, ":99999999999999999999")).has_value());
  CHECK_FALSE(event_record::split(with(hash_at, 1, "")).has_value());   // 63 digits
  CHECK_FALSE(event_record::split(with(hash_at, 1, "g")).has_value());  // not hex
  CHECK_FALSE(event_record::split(value.substr(0, value.size() - 1)).has_value());
  CHECK_FALSE(event_record::split(value.substr(9)).has_value());
  CHECK_FALSE(event_record::split(std::string(kTricky)).has_value());
  CHECK_FALSE(event_record::split("").has_value());
  // The shortest value of the form holds an empty event; one byte less is not one.
  const std::string empty_event = sealed_record("", 1);
  CHECK(event_record::split(empty_event).has_value());
  CHECK_FALSE(event_record::split(empty_event.substr(1)).has_value());
}

TEST_CASE("AnEventTextWithANulByteIsNotRead") {
  // A JSON reader may take NUL for the end of its input and read what comes before.
  const std::string whole =
      R"({"actor":"a","data":{"note":"已办结"},"key":"k","seq":2,"time":"2025-11-11T09:00:00+08:00",)"
      R"("type":"CaseClosed","workflow":{"id":"w","version":1}})";
  const auto cut = [&](std::string text) {
    auto read = event_record::decode(sealed_record(text, 3));
    return read ? std::string("read") : read.error().message;
  };
  CHECK(cut(whole) == "read");
  CHECK(cut(whole + std::string(1, '\0') + "junk") ==
        "not JSON: a NUL byte at offset " + std::to_string(whole.size()));
}

TEST_CASE("ALogEntryReadsBackWhateverItsCaseIdAndSeqHold") {
  const std::string hash = *chained_hash(std::string(kGenesisHash), "a");
  const std::string log_hash = *event_record::next_log_hash(kGenesisHash, hash);
  for (const std::string& case_id :
       std::vector<std::string>{"370811-20250930-000017", "", "a\"b\\c", "济阳区-1",
                                std::string("tab\there") + '\x01'}) {
    for (const std::uint64_t seq : {std::uint64_t{1}, std::uint64_t{10}, ~std::uint64_t{0}}) {
      const event_record::LogEntry entry{case_id, seq, hash, log_hash};
      const std::string text = event_record::encode_log(entry);
      CAPTURE(text);
      const auto back = event_record::decode_log(text);
      REQUIRE(back.has_value());
      CHECK(back->case_id == case_id);
      CHECK(back->seq == seq);
      CHECK(back->hash == hash);
      CHECK(back->log_hash == log_hash);
    }
  }
  // Hashes in another spelling are read as they are written.
  std::string upper = event_record::encode_log({"c", 2, hash, log_hash});
  std::transform(upper.begin() + upper.find(hash), upper.begin() + upper.find(hash) + 64,
                 upper.begin() + upper.find(hash), [](unsigned char c) { return std::toupper(c); });
  const auto read_upper = event_record::decode_log(upper);
  REQUIRE(read_upper.has_value());
  CHECK(read_upper->hash != hash);
  CHECK(read_upper->hash.size() == 64);

  // What is not a log entry is refused, whichever way it is spelled wrong.
  const std::string good = event_record::encode_log({"c", 12, hash, log_hash});
  const auto replaced = [&](std::string_view from, std::string_view to) {
    std::string text = good;
    return text.replace(text.find(from), from.size(), to);
  };
  for (const std::string& text :
       {replaced(R"("seq":12)", R"("seq":012)"), replaced(R"("seq":12)", R"("seq":-12)"),
        replaced(R"("seq":12)", R"("seq":"12")"), replaced(R"("seq":12)", R"("seq":)"),
        replaced(R"("seq":12)", R"("seq":18446744073709551616)"), good.substr(0, good.size() - 1),
        replaced(R"("case_id":"c")", R"("case_id":7)"), replaced(R"(,"hash")", R"(,"hush")"),
        good + "}", std::string("x") + good}) {
    CAPTURE(text);
    CHECK_FALSE(event_record::decode_log(text).has_value());
  }
}

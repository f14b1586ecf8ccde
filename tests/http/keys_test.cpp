// The access module on its own: keys and their file, masking, jurisdiction
// (docs/access.md).
#include <doctest/doctest.h>

#include <fstream>

#include "escalator/access/abuse.hpp"
#include "escalator/access/jurisdiction.hpp"
#include "escalator/access/keys.hpp"
#include "escalator/access/masking.hpp"
#include "escalator/org/org_directory.hpp"
#include "store_support.hpp"

namespace escalator {
namespace {

using access::Jurisdiction;
using access::Role;

access::NewKey made(Role role, const std::string& jurisdiction, std::optional<Channel> channel = std::nullopt) {
  auto key = access::make_key("测试", role, *access::parse_jurisdiction(jurisdiction), channel, "2026-12-08T09:00:00+08:00");
  REQUIRE(key);
  return *key;
}

TEST_CASE("a key made is found by its text, and by nothing else") {
  const auto key = made(Role::kSupervisor, "place:jiyang");
  CHECK(key.text.starts_with("esk_" + key.entry.id + "_"));
  CHECK(key.text.size() == 4 + 12 + 1 + 43);
  // The file keeps the hash, never the secret.
  CHECK(access::keys_json({key.entry}).find(key.text.substr(17)) == std::string::npos);
  const access::KeyRing ring({key.entry});
  REQUIRE(ring.authenticate("Bearer " + key.text) != nullptr);
  CHECK(ring.authenticate("bearer " + key.text) != nullptr);
  CHECK(ring.authenticate("Bearer  " + key.text + " ") != nullptr);

  auto wrong = key.text;
  wrong.back() = wrong.back() == 'A' ? 'B' : 'A';
  CHECK(ring.authenticate("Bearer " + wrong) == nullptr);
  CHECK(ring.authenticate(key.text) == nullptr);  // no scheme
  CHECK(ring.authenticate("Basic " + key.text) == nullptr);
  CHECK(ring.authenticate("Bearer esk_" + key.entry.id) == nullptr);
  CHECK(ring.authenticate("") == nullptr);
  const auto other = made(Role::kSupervisor, "place:jiyang");
  CHECK(ring.authenticate("Bearer " + other.text) == nullptr);  // not the ring's

  auto revoked = key.entry;
  revoked.revoked_at = "2026-12-08T10:00:00+08:00";
  CHECK(access::KeyRing({revoked}).authenticate("Bearer " + key.text) == nullptr);
}

TEST_CASE("roles and jurisdictions go together as a key's holder needs") {
  const auto refused = [](Role role, const std::string& where, std::optional<Channel> channel) {
    auto key = access::make_key("x", role, *access::parse_jurisdiction(where), channel, "");
    return key ? std::string() : key.error().message;
  };
  CHECK(refused(Role::kHandler, "place:jiyang", std::nullopt).starts_with("jurisdiction: a handler acts for one unit"));
  CHECK(refused(Role::kIntake, "*", std::nullopt).starts_with("channel:"));
  CHECK(refused(Role::kAuditor, "*", Channel::kWeChat).starts_with("channel: only an intake key"));
  CHECK(refused(Role::kHandler, "unit:yangguang-1.station", std::nullopt).empty());
  CHECK(!access::parse_jurisdiction("street:jiyang"));
  CHECK(!access::parse_jurisdiction("place:"));
  CHECK(!access::parse_role("admin"));
}

TEST_CASE("the keys file is written whole and read back, and a wrong one is refused naming the member") {
  testing::TempDir dir;
  const auto file = dir.path() / "keys.json";
  const auto a = made(Role::kIntake, "place:370811", Channel::kHotline);
  const auto b = made(Role::kHandler, "unit:yangguang-1.station");
  REQUIRE(access::write_keys_file(file, {a.entry, b.entry}));
  CHECK((std::filesystem::status(file).permissions() & std::filesystem::perms::others_read) == std::filesystem::perms::none);
  auto read = access::read_keys_file(file);
  REQUIRE(read);
  REQUIRE(read->size() == 2);
  CHECK((*read)[0].channel == Channel::kHotline);
  CHECK((*read)[1].jurisdiction == Jurisdiction{Jurisdiction::Kind::kUnit, "yangguang-1.station"});
  CHECK(access::KeyRing(*read).authenticate("Bearer " + b.text)->id == b.entry.id);

  const auto refusal = [](std::string text) {
    auto keys = access::parse_keys(text, "keys.json");
    return keys ? std::string() : keys.error().message;
  };
  const std::string good = access::keys_json({a.entry});
  auto with = [&](const std::string& from, const std::string& to) {
    auto text = good;
    text.replace(text.find(from), from.size(), to);
    return text;
  };
  CHECK(refusal(good).empty());
  CHECK(refusal("[]") == "keys.json: /keys: expected an object with an array \"keys\"");
  CHECK(refusal(with("\"intake\"", "\"clerk\"")).starts_with("keys.json: /keys/0/role: expected intake, handler"));
  CHECK(refusal(with("\"place:370811\"", "\"370811\"")).starts_with("keys.json: /keys/0/jurisdiction:"));
  CHECK(refusal(with("\"hotline\"", "\"fax\"")).starts_with("keys.json: /keys/0/channel:"));
  CHECK(refusal(with("\"salt\"", "\"pepper\"")).starts_with("keys.json: /keys/0/pepper: unknown member"));
  CHECK(refusal(with("\"hash\": \"", "\"hash\": \"x")) == "keys.json: /keys/0/hash: expected 64 lower-case hex digits (SHA-256)");
  CHECK(refusal(access::keys_json({a.entry, a.entry})) == "keys.json: /keys/1/id: key " + a.entry.id + " is listed twice");
}

TEST_CASE("personal data masked: enough to tell residents apart, not to reach one") {
  CHECK(access::mask_phone("13812341234") == "138****1234");
  CHECK(access::mask_phone("05378888") == "053*8888");
  CHECK(access::mask_phone("1234567") == "*******");
  CHECK(access::mask_name("张三") == "张*");
  CHECK(access::mask_name("欧阳娜娜") == "欧***");
  CHECK(access::mask_name("张") == "张*");
  CHECK(access::mask_name("") == "");
  CHECK(access::mask_account("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o") == "oUpF****");
  CHECK(access::mask_address("3号楼2单元401") == "3号楼2单元***");
  CHECK(access::mask_address("幸福苑5栋1203室") == "幸福苑5栋****室");
  CHECK(access::mask_address("北门岗亭") == "北门岗亭");
  CHECK(access::mask_text("楼上卫生间漏水") == "［已遮蔽，7 字］");
}

CaseState case_at(const std::string& compound, const std::string& lead_unit = {}) {
  CaseState k;
  k.channel = Channel::kHotline;
  k.location.district_code = "370811";
  k.location.compound = compound;
  k.lead_unit = lead_unit;
  return k;
}

TEST_CASE("a case lies in a place or a unit's jurisdiction by the directory in force") {
  const auto directory = sample_directory();
  const auto now = *parse_time("2025-11-11T09:00:00+08:00");
  const auto sees = [&](const std::string& where, const CaseState& k, std::optional<Channel> channel = std::nullopt) {
    auto key = made(channel ? Role::kIntake : Role::kSupervisor, where, channel).entry;
    return access::sees(key, k, *directory, now);
  };
  const auto garden = case_at("yangguang-garden");  // jiyang › yangguang › yangguang-1
  CHECK(sees("*", garden));
  CHECK(sees("place:370811", garden));
  CHECK(sees("place:jiyang", garden));
  CHECK(sees("place:yangguang-1", garden));
  CHECK(sees("place:yangguang-garden", garden));
  CHECK_FALSE(sees("place:guhuai", garden));
  CHECK_FALSE(sees("place:yangguang-2", garden));
  CHECK_FALSE(sees("place:heping-li", garden));
  // A unit sees what lies at its place, and what it holds wherever that is.
  CHECK(sees("unit:yangguang-garden.property", garden));
  CHECK(sees("unit:jiyang.office", garden));
  CHECK_FALSE(sees("unit:xingfu-court.property", garden));
  CHECK(sees("unit:xingfu-court.property", case_at("yangguang-garden", "xingfu-court.property")));
  CHECK_FALSE(sees("unit:no-such-unit", garden));
  // An intake key sees its own channel's cases only.
  CHECK(sees("place:jiyang", garden, Channel::kHotline));
  CHECK_FALSE(sees("place:jiyang", garden, Channel::kWeChat));
  // The places a case's own record names do not count where the directory
  // now places its compound elsewhere.
  auto stale = garden;
  stale.location.grid = "yangguang-2";
  CHECK_FALSE(sees("place:yangguang-2", stale));
}

}  // namespace
}  // namespace escalator

namespace escalator {
namespace {

TEST_CASE("addresses and networks are matched for IPv4 and IPv6") {
  const auto set = access::AddressSet::parse({"127.0.0.1", "10.0.0.0/8", "192.168.1.0/25", "::1", "fd00::/8"});
  REQUIRE(set);
  CHECK(set->contains("127.0.0.1"));
  CHECK_FALSE(set->contains("127.0.0.2"));
  CHECK(set->contains("10.200.3.4"));
  CHECK_FALSE(set->contains("11.0.0.1"));
  CHECK(set->contains("192.168.1.127"));
  CHECK_FALSE(set->contains("192.168.1.128"));
  CHECK(set->contains("::1"));
  CHECK(set->contains("fd12:3456::7"));
  CHECK_FALSE(set->contains("fe80::1"));
  CHECK_FALSE(set->contains("not an address"));
  const auto bad = access::AddressSet::parse({"10.0.0.0/33"});
  REQUIRE(!bad);
  CHECK(bad.error().message == "expected an IP address or a network such as 10.0.0.0/8, but got '10.0.0.0/33'");
  CHECK(!access::AddressSet::parse({"proxy.example"}));
}

TEST_CASE("X-Forwarded-For names the client only when a trusted proxy sent it") {
  const auto proxies = *access::AddressSet::parse({"127.0.0.1", "10.0.0.0/8"});
  // From a trusted proxy: the nearest address that is not one of ours.
  CHECK(access::client_address("127.0.0.1", "203.0.113.7", proxies) == "203.0.113.7");
  CHECK(access::client_address("127.0.0.1", "198.51.100.1, 203.0.113.7, 10.1.2.3", proxies) == "203.0.113.7");
  // Every hop ours: the first of them.
  CHECK(access::client_address("127.0.0.1", "10.9.9.9, 10.1.2.3", proxies) == "10.9.9.9");
  // From anyone else the header is a claim, and ignored.
  CHECK(access::client_address("198.51.100.9", "203.0.113.7", proxies) == "198.51.100.9");
  // A header that cannot be read is trusted in none of it.
  CHECK(access::client_address("127.0.0.1", "203.0.113.7, unknown", proxies) == "127.0.0.1");
  CHECK(access::client_address("127.0.0.1", "", proxies) == "127.0.0.1");
}

TEST_CASE("a token bucket lets a burst through, then one request per interval") {
  access::Buckets buckets(2.0, 3.0);  // two a second, three at once
  const auto t0 = access::Buckets::Clock::time_point{} + std::chrono::hours(1);
  CHECK(!buckets.take("k", t0));
  CHECK(!buckets.take("k", t0));
  CHECK(!buckets.take("k", t0));
  const auto wait = buckets.take("k", t0);
  REQUIRE(wait);
  CHECK(*wait == std::chrono::milliseconds(500));
  CHECK(!buckets.take("other", t0));  // each name has its own bucket
  CHECK(buckets.empty_for("k", t0 + std::chrono::milliseconds(499)));
  CHECK(!buckets.take("k", t0 + std::chrono::milliseconds(500)));
  CHECK(buckets.take("k", t0 + std::chrono::milliseconds(500)));
  // Refilled to the burst and no further.
  CHECK(!buckets.empty_for("k", t0 + std::chrono::hours(1)));
  for (int i = 0; i < 3; ++i) CHECK(!buckets.take("k", t0 + std::chrono::hours(1)));
  CHECK(buckets.take("k", t0 + std::chrono::hours(1)));
  CHECK(!buckets.empty_for("never-seen", t0));
}

}  // namespace
}  // namespace escalator

// Keeping one caller from crowding out the rest (docs/access.md, "Limits"):
// which address a request came from when proxies stand in front, and token
// buckets that limit each key's requests and each address's bad keys.
// Clocks are passed in, so that tests move time rather than wait for it.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "escalator/util/result.hpp"

namespace escalator::access {

// IP addresses and networks: "127.0.0.1", "10.0.0.0/8", "::1", "fd00::/8".
class AddressSet {
 public:
  // kInvalidArgument naming the entry that is neither an address nor a network.
  [[nodiscard]] static Result<AddressSet> parse(const std::vector<std::string>& entries);
  bool contains(std::string_view address) const;
  bool empty() const { return networks_.empty(); }

 private:
  struct Network {
    std::array<std::uint8_t, 16> bytes{};  // IPv4 as IPv4-mapped IPv6
    int prefix = 128;
  };
  std::vector<Network> networks_;
};

// The client a request came from: its peer, unless the peer is a trusted
// proxy, in which case the nearest address of X-Forwarded-For that is not
// one (the one the first trusted proxy saw). An X-Forwarded-For from a peer
// that is not trusted is ignored: anyone can write one.
std::string client_address(std::string_view peer, std::string_view forwarded_for, const AddressSet& trusted);

// Token buckets by name (a key's id, an address): each holds up to `burst`
// tokens and gains `per_second` a second; a request takes one.
class Buckets {
 public:
  using Clock = std::chrono::steady_clock;
  Buckets(double per_second, double burst) : per_second_(per_second), burst_(burst) {}

  // Takes a token from the bucket of `name`: nullopt when there was one,
  // otherwise how long until there is.
  std::optional<std::chrono::milliseconds> take(const std::string& name, Clock::time_point now);
  // Whether the bucket of `name` is empty now, taking nothing.
  std::optional<std::chrono::milliseconds> empty_for(const std::string& name, Clock::time_point now);

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point at{};
  };
  Bucket& filled(const std::string& name, Clock::time_point now);  // mutex_ held
  std::chrono::milliseconds wait_for_one(const Bucket& bucket) const;

  static constexpr std::size_t kMostBuckets = 100000;
  double per_second_, burst_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace escalator::access

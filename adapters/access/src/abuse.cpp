#include "escalator/access/abuse.hpp"

#include <arpa/inet.h>

#include <cmath>
#include <cstring>

namespace escalator::access {
namespace {

// The address as 16 bytes, IPv4 mapped into IPv6 (::ffff:a.b.c.d).
std::optional<std::array<std::uint8_t, 16>> bytes_of(std::string_view text) {
  std::string address(text);
  std::array<std::uint8_t, 16> bytes{};
  in_addr v4{};
  if (inet_pton(AF_INET, address.c_str(), &v4) == 1) {
    bytes[10] = bytes[11] = 0xff;
    std::memcpy(bytes.data() + 12, &v4, 4);
    return bytes;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, address.c_str(), &v6) == 1) {
    std::memcpy(bytes.data(), &v6, 16);
    return bytes;
  }
  return std::nullopt;
}

bool is_v4(std::string_view text) { return text.find(':') == std::string_view::npos; }

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

Result<AddressSet> AddressSet::parse(const std::vector<std::string>& entries) {
  AddressSet set;
  for (const auto& entry : entries) {
    const auto slash = entry.find('/');
    const std::string address = entry.substr(0, slash);
    auto bytes = bytes_of(address);
    const int width = is_v4(address) ? 32 : 128;
    int prefix = width;
    if (slash != std::string::npos) {
      const auto digits = entry.substr(slash + 1);
      const bool number = !digits.empty() && digits.size() <= 3 &&
                          digits.find_first_not_of("0123456789") == std::string::npos;
      prefix = number ? std::stoi(digits) : -1;
    }
    if (!bytes || prefix < 0 || prefix > width) {
      return fail(ErrorCode::kInvalidArgument,
                  "expected an IP address or a network such as 10.0.0.0/8, but got '" + entry + "'");
    }
    set.networks_.push_back({*bytes, width == 32 ? prefix + 96 : prefix});
  }
  return set;
}

bool AddressSet::contains(std::string_view address) const {
  const auto bytes = bytes_of(address);
  if (!bytes) return false;
  for (const Network& n : networks_) {
    int bits = n.prefix, i = 0;
    for (; bits >= 8; bits -= 8, ++i) {
      if ((*bytes)[i] != n.bytes[i]) break;
    }
    if (bits >= 8) continue;
    if (bits == 0 || (((*bytes)[i] ^ n.bytes[i]) & (0xff << (8 - bits)) & 0xff) == 0) return true;
  }
  return false;
}

std::string client_address(std::string_view peer, std::string_view forwarded_for, const AddressSet& trusted) {
  if (!trusted.contains(peer) || forwarded_for.empty()) return std::string(peer);
  // Right to left: each proxy appends the address it saw, so the first one
  // that is not a trusted proxy is the client as our proxies saw it.
  std::string_view rest = forwarded_for;
  std::string leftmost;
  while (!rest.empty()) {
    const auto comma = rest.rfind(',');
    const auto hop = trimmed(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
    if (!bytes_of(hop)) return std::string(peer);  // not an address: the header cannot be read, so trust none of it
    if (!trusted.contains(hop)) return std::string(hop);
    leftmost = std::string(hop);
  }
  return leftmost.empty() ? std::string(peer) : leftmost;
}

Buckets::Bucket& Buckets::filled(const std::string& name, Clock::time_point now) {
  auto [it, added] = buckets_.try_emplace(name, Bucket{burst_, now});
  Bucket& bucket = it->second;
  if (!added && now > bucket.at) {
    const double seconds = std::chrono::duration<double>(now - bucket.at).count();
    bucket.tokens = std::min(burst_, bucket.tokens + seconds * per_second_);
    bucket.at = now;
  }
  return bucket;
}

std::chrono::milliseconds Buckets::wait_for_one(const Bucket& bucket) const {
  const double seconds = (1.0 - bucket.tokens) / per_second_;
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::ceil(seconds * 1000.0)));
}

std::optional<std::chrono::milliseconds> Buckets::take(const std::string& name, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  // Many names (addresses sprayed from a network) must not grow memory
  // without bound: a full bucket holds nothing a new one would not.
  if (buckets_.size() >= kMostBuckets) {
    std::erase_if(buckets_, [&](auto& entry) { return filled(entry.first, now).tokens >= burst_; });
  }
  Bucket& bucket = filled(name, now);
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return std::nullopt;
  }
  return wait_for_one(bucket);
}

std::optional<std::chrono::milliseconds> Buckets::empty_for(const std::string& name, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  const auto found = buckets_.find(name);
  if (found == buckets_.end()) return std::nullopt;
  Bucket& bucket = filled(name, now);
  return bucket.tokens >= 1.0 ? std::nullopt : std::optional(wait_for_one(bucket));
}

}  // namespace escalator::access

// Who asks (docs/access.md): the key a request carries, or nobody when the
// service runs without a keys file (and so on loopback only, open to every
// local caller as before access control).
#pragma once

#include <memory>
#include <string>

#include "escalator/access/jurisdiction.hpp"
#include "escalator/access/keys.hpp"
#include "escalator/access/permissions.hpp"

namespace escalator::http {

struct Caller {
  std::shared_ptr<const access::KeyRing> ring;  // keeps `key` alive
  const access::ApiKey* key = nullptr;          // null: the service checks no keys
  std::string purpose;     // X-Access-Purpose: why the caller reads, for the access log
  std::string request_id;  // the request's, for the access log
  std::string client;      // the client's address (its proxies' X-Forwarded-For when they are trusted)

  // Whether the case exists for this caller; every case when no key is checked.
  bool sees(const CaseState& state, const OrgDirectory& directory, Timestamp now) const {
    return key == nullptr || access::sees(*key, state, directory, now);
  }
  // Whether the resident's personal data reaches this caller masked.
  bool masked() const { return key != nullptr && access::sight_of(key->role) == access::Sight::kMasked; }
  // Whether what this caller reads in clear goes into the access log: every
  // key's clear reads; nothing when no key is checked (training on loopback).
  bool accountable() const { return key != nullptr && !masked(); }
  // Who a command records as its actor when its body names nobody: the key,
  // or the service itself when no key is checked.
  std::string default_actor() const { return key == nullptr ? std::string("http") : "key:" + key->id; }
};

}  // namespace escalator::http

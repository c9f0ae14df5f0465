// Routes of spec §1 "Authentication": an organization's API keys, and the authenticator.
#include "api/api_keys.h"

#include <chrono>
#include <mutex>
#include <unordered_map>

#include "api/input.h"
#include "api/routes.h"
#include "domain/render.h"
#include "http/errors.h"
#include "util/crypto.h"
#include "util/ids.h"

namespace leadline::api {
namespace {
using http::Request;
using http::Response;

constexpr size_t kSecretLength = 32;
constexpr util::Millis kAuthCacheMillis = 5000;

Json to_json(const store::ApiKey& key) {
  Json j;
  j["id"] = key.id;
  j["name"] = key.name;
  j["created_at"] = util::format_iso(key.created_at);
  j["revoked_at"] = domain::iso_or_null(key.revoked_at);
  return j;
}

Response create_key(const Request& request, Services& services) {
  const Json body = request.json();
  FieldErrors errors;
  auto name = read_string(body, "name", errors);
  if (!name && !body.contains("name")) errors.add("name is required");
  if (name) check_length(*name, "name", 1, 100, errors);
  errors.throw_if_any();
  auto issued = issue_api_key(services.store, request.org_id, *name, services.clock.now());
  Json j = to_json(issued.key);
  j.erase("revoked_at");
  j["secret"] = issued.secret;
  j["key"] = issued.credential();  // (ext) the whole "key_id:secret" to put after "Bearer "
  return Response::json(201, j);
}

Response list_keys(const Request& request, Services& services) {
  Json data = Json::array();
  for (const auto& key : services.store.list_api_keys(request.org_id)) data.push_back(to_json(key));
  return Response::json(200, {{"data", std::move(data)}});
}

// Valid keys are cached briefly so most requests skip the store; a revocation through this
// server clears the entry at once. Expired entries stay (until the cache is cleared) as
// "was valid": what a client address that keeps failing may still have checked.
class AuthCache {
 public:
  std::optional<http::Principal> find(const std::string& credential, util::Millis now) {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(credential);
    if (it == entries_.end() || it->second.expires_at < now) return std::nullopt;
    return it->second.principal;
  }
  bool was_valid(const std::string& credential) {
    std::lock_guard lock(mutex_);
    return entries_.contains(credential);
  }
  void put(const std::string& credential, http::Principal principal, util::Millis now) {
    std::lock_guard lock(mutex_);
    if (entries_.size() > 10000) entries_.clear();
    entries_[credential] = {std::move(principal), now + kAuthCacheMillis};
  }
  void forget_key(const std::string& key_id) {
    std::lock_guard lock(mutex_);
    std::erase_if(entries_, [&](const auto& e) { return e.second.principal.key_id == key_id; });
  }

 private:
  struct Entry {
    http::Principal principal;
    util::Millis expires_at;
  };
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

AuthCache& auth_cache() {
  static AuthCache cache;
  return cache;
}

Response revoke_key(const Request& request, Services& services) {
  const std::string& key_id = request.param("keyId");
  if (!services.store.revoke_api_key(request.org_id, key_id, services.clock.now()))
    throw http::not_found("API key not found");
  auth_cache().forget_key(key_id);
  return Response::json(200, {{"message", "API key revoked."}});
}
}  // namespace

IssuedKey issue_api_key(store::KeyStore& store, const std::string& org_id, const std::string& name,
                        util::Millis now) {
  IssuedKey issued;
  issued.secret = util::random_base62(kSecretLength);
  issued.key = store::ApiKey{
      util::new_id("key"), org_id, name, util::sha256_hex(issued.secret), now, std::nullopt};
  store.insert_api_key(issued.key);
  return issued;
}

http::Authenticator make_authenticator(store::KeyStore& store) {
  return [&store](std::string_view credential, bool may_look_up) -> std::optional<http::Principal> {
    const util::Millis now = util::system_now();
    const std::string key(credential);
    if (auto cached = auth_cache().find(key, now)) return cached;
    if (!may_look_up && !auth_cache().was_valid(key)) return std::nullopt;
    const auto colon = credential.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    auto stored = store.find_api_key(credential.substr(0, colon));
    if (!stored) return std::nullopt;
    if (stored->revoked_at) {
      auth_cache().forget_key(stored->id);  // revoked by another process: no longer "was valid"
      return std::nullopt;
    }
    if (!util::constant_time_equal(util::sha256_hex(credential.substr(colon + 1)),
                                   stored->secret_hash))
      return std::nullopt;
    http::Principal principal{stored->id, stored->org_id};
    auth_cache().put(key, principal, now);
    return principal;
  };
}

void register_api_key_routes(http::Router& router, Services& s) {
  router.add("POST", "/v1/api-keys", bind(create_key, s));
  router.add("GET", "/v1/api-keys", bind(list_keys, s));
  router.add("DELETE", "/v1/api-keys/{keyId}", bind(revoke_key, s));
}

}  // namespace leadline::api

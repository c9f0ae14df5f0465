#pragma once
// Issuing API keys: used by the API route, the CLI (`leadline keys create`) and first start.
#include <string>

#include "store/store.h"

namespace leadline::api {

struct IssuedKey {
  store::ApiKey key;
  std::string secret;  // shown once; only its hash is stored
  // What clients send after "Bearer ".
  std::string credential() const { return key.id + ":" + secret; }
};

IssuedKey issue_api_key(store::KeyStore& store, const std::string& org_id, const std::string& name,
                        util::Millis now);

}  // namespace leadline::api

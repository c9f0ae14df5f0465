#pragma once
// Registers every route of the /v1 API (and /healthz) on a router. One function per
// resource file; register_all_routes calls them all.
#include "api/services.h"
#include "http/router.h"
#include "http/server.h"

namespace leadline::api {

void register_workflow_routes(http::Router& router, Services& services);
void register_node_routes(http::Router& router, Services& services);
void register_edge_routes(http::Router& router, Services& services);
void register_lead_routes(http::Router& router, Services& services);
void register_projection_routes(http::Router& router, Services& services);
void register_call_routes(http::Router& router, Services& services);
void register_call_event_routes(http::Router& router, Services& services);
void register_api_key_routes(http::Router& router, Services& services);
void register_webhook_routes(http::Router& router, Services& services);
void register_suppression_routes(http::Router& router, Services& services);
void register_eligibility_routes(http::Router& router, Services& services);
void register_organization_routes(http::Router& router, Services& services);
void register_ops_routes(http::Router& router, Services& services);
void register_event_routes(http::Router& router, Services& services);

void register_all_routes(http::Router& router, Services& services);

// Checks "key_id:secret" against the store (secrets compared as hashes in constant time).
// Valid keys are remembered for a few seconds so a request does not always hit the store.
http::Authenticator make_authenticator(store::KeyStore& store);

// Throws 400 naming `field` when `url` is a loopback/private target and the server does not
// allow those (spec §7). URLs with "{{...}}" placeholders are checked only when sent.
void check_outbound_url(const std::string& url, std::string_view field, const Services& services);

}  // namespace leadline::api

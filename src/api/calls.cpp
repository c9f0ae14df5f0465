// Routes of spec §6: the organization's call records, one per attempt.
#include <algorithm>
#include <array>

#include "api/input.h"
#include "api/render.h"
#include "api/routes.h"
#include "http/errors.h"

namespace leadline::api {
namespace {
using http::Request;
using http::Response;

constexpr std::array<std::string_view, 7> kCallStatuses = {
    "queued", "initiated", "completed", "no_answer", "busy", "voicemail", "failed"};

Response list_calls(const Request& request, Services& services) {
  store::CallQuery query;
  query.page = read_page(request);
  if (auto id = request.query_param("workflow_id"); id && !id->empty()) query.workflow_id = *id;
  if (auto id = request.query_param("lead_id"); id && !id->empty()) query.lead_id = *id;
  if (auto status = request.query_param("status")) {
    if (std::find(kCallStatuses.begin(), kCallStatuses.end(), *status) == kCallStatuses.end())
      throw http::bad_request(
          "status must be one of queued, initiated, completed, no_answer, busy, voicemail, "
          "failed");
    query.status = *status;
  }
  auto page = services.store.list_calls(request.org_id, query);
  Json data = Json::array();
  for (const auto& call : page.items) data.push_back(to_json(call));
  return Response::json(200, paginated(std::move(data), query.page, page.total));
}

Response get_call(const Request& request, Services& services) {
  auto call = services.store.find_call(request.org_id, request.param("id"));
  if (!call) throw http::not_found("Call not found");
  return Response::json(200, to_json(*call));
}
}  // namespace

void register_call_routes(http::Router& router, Services& s) {
  router.add("GET", "/v1/calls", bind(list_calls, s));
  router.add("GET", "/v1/calls/{id}", bind(get_call, s));
}

}  // namespace leadline::api

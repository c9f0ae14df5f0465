// Routes of spec §5: enrolling leads into a workflow, reading them, removing them, and
// their journey through the graph.
#include <algorithm>
#include <unordered_map>

#include "api/input.h"
#include "api/lead_input.h"
#include "api/render.h"
#include "api/routes.h"
#include "domain/render.h"
#include "http/errors.h"

namespace leadline::api {
namespace {
using domain::Lead;
using http::Request;
using http::Response;

constexpr size_t kRowsListed = 20;  // row numbers spelled out per reason before "and N more"
constexpr size_t kMaxLeadIdsFilter = 1000;
constexpr std::string_view kLeadStatuses =
    "pending, active, in_progress, completed, dropped, removed, cancelled, failed";

struct ReasonGroup {
  std::string reason;
  std::vector<size_t> rows;
};

// Groups failures by reason, in the order each reason first appears.
std::vector<ReasonGroup> group_by_reason(const std::vector<RowError>& invalid) {
  std::vector<ReasonGroup> groups;
  std::unordered_map<std::string_view, size_t> index;
  for (const auto& error : invalid)
    for (const auto& reason : error.reasons) {
      auto [it, added] = index.emplace(reason, groups.size());
      if (added) groups.push_back({reason, {}});
      groups[it->second].rows.push_back(error.row);
    }
  return groups;
}

// "Row 2, 5" — long lists are cut so one bad column in a big file stays readable.
std::string rows_text(const std::vector<size_t>& rows) {
  std::string text = "Row ";
  for (size_t i = 0; i < rows.size() && i < kRowsListed; ++i)
    text += (i ? ", " : "") + std::to_string(rows[i]);
  if (rows.size() > kRowsListed)
    text += " and " + std::to_string(rows.size() - kRowsListed) + " more";
  return text;
}

// A file's answer says how its text was read, so a user whose spreadsheet program saved
// Windows-1252 sees why, and can check that accented names came through.
void add_encoding(const LeadRows& rows, Json& body) {
  if (!rows.from_file) return;
  if (rows.encoding == util::TextEncoding::kUtf8) {
    body["encoding"] = "utf-8";
    return;
  }
  body["encoding"] = "windows-1252";
  body["note"] =
      "The file is not valid UTF-8, so it was read as Windows-1252 (what spreadsheet programs "
      "save as CSV) and converted to UTF-8. Save it as \"CSV UTF-8\" if names look wrong.";
}

// 400 in the error shape, with every reason and its rows; "errors" repeats them structured
// (all row numbers) for clients that fix files automatically.
Response invalid_rows_response(const LeadRows& rows) {
  Json messages = Json::array(), errors = Json::array();
  for (const auto& group : group_by_reason(rows.invalid)) {
    messages.push_back(rows.single ? group.reason : rows_text(group.rows) + ": " + group.reason);
    errors.push_back({{"reason", group.reason}, {"rows", group.rows}});
  }
  Json body = http::error_body(400, messages);
  body["errors"] = std::move(errors);
  add_encoding(rows, body);
  return Response::json(400, body);
}

std::string enrolment_message(size_t enrolled, size_t duplicates, size_t suppressed,
                              size_t invalid) {
  std::string text =
      "Enrolled " + std::to_string(enrolled) + (enrolled == 1 ? " lead." : " leads.");
  if (duplicates + suppressed + invalid == 0) return text;
  text += " Skipped " + std::to_string(duplicates + suppressed + invalid) + ": " +
          std::to_string(duplicates) + " duplicate, ";
  if (suppressed > 0) text += std::to_string(suppressed) + " on the do-not-call list, ";
  return text + std::to_string(invalid) + " invalid.";
}

Response enroll_leads(const Request& request, Services& services) {
  const auto workflow = require_editable_workflow(request, services);
  const bool skip_invalid = read_flag(request, "skip_invalid");
  const Json& settings = workflow.settings;
  LeadDefaults defaults{request.org_id, workflow.id, "US", services.clock.now(),
                        domain::required_consent(settings)};
  if (auto it = settings.find("default_country"); it != settings.end() && it->is_string())
    defaults.default_country = it->get<std::string>();
  const auto reenroll = settings.find("allow_reenrollment");
  const bool allow_reenrollment =
      reenroll != settings.end() && reenroll->is_boolean() && reenroll->get<bool>();

  EnrolmentRows input = read_enrolment_rows(request, defaults);
  store::EnrollResult result;
  {
    CheckedChunks chunks(input, skip_invalid);
    try {
      result = services.store.enroll_leads(workflow, chunks, allow_reenrollment, defaults.now);
    } catch (const InvalidRowsFound&) {
      // Rolled back: answer with every invalid row of the request, not only the first chunk's.
      input.check_all();
      return invalid_rows_response(input.rows());
    }
  }
  const LeadRows& rows = input.rows();

  // Invalid, duplicate and suppressed rows, in row order.
  struct Skip {
    size_t row;
    std::string phone_number;
    std::string reason;
  };
  std::vector<Skip> skips;
  for (const auto& error : rows.invalid) {
    std::string reason;
    for (const auto& r : error.reasons) reason += (reason.empty() ? "" : "; ") + r;
    skips.push_back({error.row, error.phone_number, std::move(reason)});
  }
  for (size_t position : result.duplicates)
    skips.push_back({rows.row_numbers[position], rows.leads[position].phone_number, "duplicate"});
  Json suppressed_rows = Json::array();
  for (const auto& [position, entry] : result.suppressed) {
    skips.push_back({rows.row_numbers[position], rows.leads[position].phone_number,
                     "suppressed: " + domain::suppression_reason(entry)});
    suppressed_rows.push_back(rows.row_numbers[position]);
  }
  std::stable_sort(skips.begin(), skips.end(),
                   [](const Skip& a, const Skip& b) { return a.row < b.row; });
  Json skipped = Json::array();
  for (auto& skip : skips)
    skipped.push_back({{"row", skip.row},
                       {"phone_number", std::move(skip.phone_number)},
                       {"reason", std::move(skip.reason)}});

  Json body;
  body["workflow_id"] = workflow.id;
  body["leads_enrolled"] = result.lead_ids.size();
  body["leads_skipped"] = skipped.size();
  body["lead_ids"] = result.lead_ids;
  body["skipped"] = std::move(skipped);
  body["suppressed"] = result.suppressed.size();
  body["suppressed_rows"] = std::move(suppressed_rows);
  body["message"] = enrolment_message(result.lead_ids.size(), result.duplicates.size(),
                                      result.suppressed.size(), rows.invalid.size());
  if (rows.single && !result.lead_ids.empty())
    body["lead"] = to_json(rows.leads.front(), workflow.settings);
  add_encoding(rows, body);
  return Response::json(201, body);
}

Response list_leads(const Request& request, Services& services) {
  const auto workflow = require_workflow(request, services);
  store::LeadQuery query;
  query.page = read_page(request);
  std::vector<std::string> errors;
  if (auto status = request.query_param("status")) {
    query.status = domain::lead_status_from_string(*status);
    if (!query.status) errors.push_back("status must be one of " + std::string(kLeadStatuses));
  }
  if (auto node = request.query_param("current_node_id"); node && !node->empty())
    query.current_node_id = *node;
  if (auto ids = request.query_param("leadIds")) {
    for (size_t start = 0; start <= ids->size();) {
      const size_t end = std::min(ids->find(',', start), ids->size());
      if (auto id = trim(std::string_view(*ids).substr(start, end - start)); !id.empty())
        query.lead_ids.push_back(std::move(id));
      start = end + 1;
    }
    if (query.lead_ids.size() > kMaxLeadIdsFilter)
      errors.push_back("leadIds may name at most " + std::to_string(kMaxLeadIdsFilter) + " leads");
  }
  if (!errors.empty()) throw http::bad_request(errors);
  auto page = services.store.list_leads(workflow.id, query);
  Json data = Json::array();
  for (const auto& lead : page.items) data.push_back(to_json(lead, workflow.settings));
  return Response::json(200, paginated(std::move(data), query.page, page.total));
}

Response get_lead(const Request& request, Services& services) {
  const auto workflow = require_workflow(request, services);
  return Response::json(200,
                        to_json(require_lead(request, services, workflow.id), workflow.settings));
}

Response remove_lead(const Request& request, Services& services) {
  const auto workflow = require_workflow(request, services);
  switch (services.store.remove_lead(workflow.id, request.param("leadId"), services.clock.now())) {
    case store::RemoveLeadResult::kNotFound:
      throw http::not_found("Lead not found");
    case store::RemoveLeadResult::kAlreadyTerminal:
      throw http::conflict("Lead has already left the workflow");
    case store::RemoveLeadResult::kRemoved:
      break;
  }
  return Response::json(200, {{"message", "Lead removed from workflow."}});
}

Response lead_history(const Request& request, Services& services) {
  const auto workflow = require_workflow(request, services);
  const Lead lead = require_lead(request, services, workflow.id);
  Json history = Json::array();
  for (const auto& entry : services.store.lead_history(lead.id)) history.push_back(to_json(entry));
  // The visit under way has no row yet (rows are written when a visit ends): show it last.
  if (lead.status == domain::LeadStatus::kActive && lead.current_node_id) {
    domain::HistoryEntry current;
    current.node_id = *lead.current_node_id;
    for (const auto& node : services.store.load_graph(workflow.id).nodes)
      if (node.id == current.node_id) {
        current.node_type = to_string(node.type);
        current.label = node.label;
      }
    current.status = lead.stalled ? "stalled" : "waiting";
    current.call_id = lead.call_id;
    if (lead.attempt > 0) current.attempt = lead.attempt;
    current.started_at = lead.entered_at.value_or(lead.updated_at);
    history.push_back(to_json(current));
  }
  Json execution = {
      {"current_node_id", lead.current_node_id ? Json(*lead.current_node_id) : Json(nullptr)},
      {"status", to_string(lead.status)},
      {"entered_at", domain::iso_or_null(lead.entered_at)},
      {"next_action_at", domain::iso_or_null(lead.next_action_at)},
      // delay, call, http, window (a calling window's opening) or none.
      {"waiting_for", to_string(lead.wait_kind)}};
  return Response::json(200, {{"lead", to_json(lead, workflow.settings)},
                              {"execution", std::move(execution)},
                              {"history", std::move(history)}});
}

Response variable_keys(const Request& request, Services& services) {
  const auto workflow = require_workflow(request, services);
  return Response::json(200, {{"keys", services.store.variable_keys(workflow.id)}});
}
}  // namespace

void register_lead_routes(http::Router& router, Services& s) {
  router.add("POST", "/v1/workflows/{id}/leads", bind(enroll_leads, s));
  router.add("GET", "/v1/workflows/{id}/leads", bind(list_leads, s));
  router.add("GET", "/v1/workflows/{id}/leads/variable-keys", bind(variable_keys, s));
  router.add("GET", "/v1/workflows/{id}/leads/{leadId}", bind(get_lead, s));
  router.add("DELETE", "/v1/workflows/{id}/leads/{leadId}", bind(remove_lead, s));
  router.add("GET", "/v1/workflows/{id}/leads/{leadId}/history", bind(lead_history, s));
}

}  // namespace leadline::api

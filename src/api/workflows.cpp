// Routes of spec §2: workflows, their lifecycle, validation and the whole-graph view.
#include "api/input.h"
#include "api/render.h"
#include "api/routes.h"
#include "domain/call_policy.h"
#include "domain/calling_window.h"
#include "domain/consent.h"
#include "domain/flow_nodes.h"
#include "domain/graph_rules.h"
#include "domain/inbound_event.h"
#include "domain/suppression.h"
#include "http/errors.h"
#include "util/ids.h"
#include "util/text.h"
#include "util/timezone.h"

namespace leadline::api {
namespace {
using domain::LifecycleAction;
using domain::Workflow;
using domain::WorkflowStatus;
using http::Request;
using http::Response;

constexpr size_t kMaxTitle = 100;
constexpr size_t kMaxDescription = 2000;
constexpr std::string_view kStatuses = "draft, active, paused, completed, cancelled";

// Checks the settings keys Leadline understands; unknown keys are kept as given.
void check_settings(const Json& settings, FieldErrors& errors) {
  if (!settings.is_object()) {
    errors.add("settings must be an object");
    return;
  }
  if (auto it = settings.find("timezone"); it != settings.end()) {
    if (!it->is_string() || !util::is_known_timezone(it->get<std::string>()))
      errors.add("settings.timezone must be an IANA time zone name such as America/New_York");
  }
  if (auto it = settings.find("default_country"); it != settings.end()) {
    const bool ok = it->is_string() && it->get<std::string>().size() == 2 &&
                    std::isupper(static_cast<unsigned char>(it->get<std::string>()[0])) &&
                    std::isupper(static_cast<unsigned char>(it->get<std::string>()[1]));
    if (!ok) errors.add("settings.default_country must be a two-letter ISO region code like US");
  }
  if (auto it = settings.find("allow_reenrollment"); it != settings.end() && !it->is_boolean())
    errors.add("settings.allow_reenrollment must be true or false");
  if (auto it = settings.find("max_concurrent_calls"); it != settings.end()) {
    if (!it->is_null() && !(it->is_number_integer() && it->get<std::int64_t>() >= 1))
      errors.add("settings.max_concurrent_calls must be a positive integer or null");
  }
  domain::ConfigProblems problems("settings");
  if (auto it = settings.find("calling_window"); it != settings.end() && !it->is_null())
    domain::check_calling_window(*it, problems);
  if (auto it = settings.find("opt_out"); it != settings.end())
    domain::check_opt_out(*it, problems);
  if (auto it = settings.find("exit_rules"); it != settings.end())
    domain::check_exit_rules(*it, problems);
  if (auto it = settings.find("require_consent"); it != settings.end())
    domain::check_require_consent(*it, problems);
  domain::check_workflow_call_policy(settings, problems);
  for (auto& message : problems.take()) errors.add(std::move(message));
}

std::optional<std::string> read_title(const Json& body, FieldErrors& errors) {
  // Both spellings are accepted; title wins when both are sent (spec §2.1).
  auto title = read_string(body, "title", errors);
  if (!title && !body.contains("title")) title = read_string(body, "name", errors);
  if (title) check_length(*title, body.contains("title") ? "title" : "name", 1, kMaxTitle, errors);
  return title;
}

void check_description(const std::optional<std::string>& description, FieldErrors& errors) {
  if (description && utf8_length(*description) > kMaxDescription)
    errors.add("description must be at most " + std::to_string(kMaxDescription) + " characters");
}

Response create_workflow(const Request& request, Services& services) {
  const Json body = request.json();
  FieldErrors errors;
  auto title = read_title(body, errors);
  if (!title && !body.contains("title") && !body.contains("name")) errors.add("title is required");
  auto description = read_nullable_string(body, "description", errors);
  if (description) check_description(*description, errors);
  if (auto status = read_string(body, "status", errors)) {
    auto parsed = domain::workflow_status_from_string(*status);
    if (!parsed)
      errors.add("status must be one of " + std::string(kStatuses));
    else if (*parsed != WorkflowStatus::kDraft)
      errors.add(
          "A new workflow has no nodes, so it can only be created as draft: add nodes and "
          "edges, then activate it");
  }
  Json settings = Json::object();
  if (auto it = body.find("settings"); it != body.end()) {
    check_settings(*it, errors);
    settings = *it;
  }
  errors.throw_if_any();

  Workflow w;
  w.id = util::new_id("wf");
  w.org_id = request.org_id;
  w.title = *title;
  w.description = description.value_or(std::nullopt);
  w.settings = std::move(settings);
  w.created_at = w.updated_at = services.clock.now();
  services.store.insert_workflow(w);
  return Response::json(201, to_json(w));
}

Response list_workflows(const Request& request, Services& services) {
  store::WorkflowQuery query;
  std::vector<std::string> errors;
  try {
    query.page = read_page(request);
  } catch (const http::ApiError& e) {
    for (const auto& m : e.message().is_array() ? e.message() : Json::array({e.message()}))
      errors.push_back(m.get<std::string>());
  }
  if (auto status = request.query_param("status")) {
    query.status = domain::workflow_status_from_string(*status);
    if (!query.status) errors.push_back("status must be one of " + std::string(kStatuses));
  }
  if (auto q = request.query_param("q"); q && !q->empty()) query.title_contains = *q;
  if (auto sort = request.query_param("sortBy")) {
    if (*sort != "created_at" && *sort != "updated_at" && *sort != "title")
      errors.push_back("sortBy must be one of created_at, updated_at, title");
    query.sort_by = *sort;
  }
  if (auto order = request.query_param("sortOrder")) {
    if (*order == "ASC" || *order == "asc")
      query.ascending = true;
    else if (*order != "DESC" && *order != "desc")
      errors.push_back("sortOrder must be ASC or DESC");
  }
  if (!errors.empty()) throw http::bad_request(errors);
  auto page = services.store.list_workflows(request.org_id, query);
  Json data = Json::array();
  for (const auto& w : page.items) data.push_back(to_json(w));
  return Response::json(200, paginated(std::move(data), query.page, page.total));
}

Response get_workflow(const Request& request, Services& services) {
  return Response::json(200, to_json(require_workflow(request, services)));
}

Response update_workflow(const Request& request, Services& services) {
  const Json body = request.json();
  const Workflow current = require_workflow(request, services);
  if (body.contains("status"))
    throw http::conflict(
        "status cannot be changed with PATCH; use the lifecycle routes (activate, pause, "
        "resume, cancel)");
  if (domain::is_final(current.status))
    throw http::conflict("Workflow is " + std::string(to_string(current.status)) +
                         " and can no longer be edited");
  FieldErrors errors;
  store::WorkflowPatch patch;
  patch.title = read_title(body, errors);
  patch.description = read_nullable_string(body, "description", errors);
  if (patch.description) check_description(*patch.description, errors);
  if (auto it = body.find("settings"); it != body.end()) {
    check_settings(*it, errors);
    if (it->is_object()) {
      // A patch merges into the stored settings; a key set to null stays null (for
      // calling_window, null switches the window off explicitly).
      Json merged = current.settings;
      for (const auto& [key, value] : it->items()) merged[key] = value;
      patch.settings = std::move(merged);
    }
  }
  errors.throw_if_any();
  if (!patch.title && !patch.description && !patch.settings)
    throw http::bad_request("Nothing to update: send title, description or settings");
  auto updated =
      services.store.update_workflow(request.org_id, current.id, patch, services.clock.now());
  if (!updated) throw http::not_found("Workflow not found");
  return Response::json(200, to_json(*updated));
}

Response delete_workflow(const Request& request, Services& services) {
  switch (services.store.delete_workflow(request.org_id, request.param("id"))) {
    case store::DeleteWorkflowResult::kNotFound:
      throw http::not_found("Workflow not found");
    case store::DeleteWorkflowResult::kActive:
      throw http::conflict("Workflow is active; pause or cancel it before deleting it");
    case store::DeleteWorkflowResult::kBusy:
      throw http::conflict("Workflow has calls in flight; wait for them to finish");
    case store::DeleteWorkflowResult::kDeleted:
      break;
  }
  return Response::json(200, {{"message", "Workflow deleted."}});
}

Response duplicate_workflow(const Request& request, Services& services) {
  const Workflow source = require_workflow(request, services);
  Workflow copy = source;
  copy.id = util::new_id("wf");
  copy.status = WorkflowStatus::kDraft;
  copy.version = 1;
  copy.paused_at.reset();
  std::string title = source.title + " (Copy)";
  // Cut to 100 characters without splitting a UTF-8 sequence.
  size_t chars = 0, cut = 0;
  for (; cut < title.size(); ++cut) {
    if ((static_cast<unsigned char>(title[cut]) & 0xC0) != 0x80 && chars++ == kMaxTitle) break;
  }
  copy.title = title.substr(0, cut);
  copy.created_at = copy.updated_at = services.clock.now();
  auto created = services.store.duplicate_workflow(request.org_id, source.id, copy);
  if (!created) throw http::not_found("Workflow not found");
  return Response::json(201, to_json(*created));
}

Response apply_action(const Request& request, Services& services, LifecycleAction action) {
  const Workflow current = require_workflow(request, services);
  auto to = domain::apply_lifecycle(current.status, action);
  if (!to)
    throw http::conflict("Cannot " + std::string(to_string(action)) + " a workflow that is " +
                         std::string(to_string(current.status)));
  if (*to == WorkflowStatus::kActive) {
    // A graph edited while paused or in draft must be valid before leads move again.
    auto report = domain::validate_graph(services.store.load_graph(current.id));
    if (!report.valid()) {
      std::vector<std::string> messages;
      for (const auto& issue : report.errors) messages.push_back(issue.message);
      throw http::ApiError(400, Json(messages));
    }
  }
  auto updated = services.store.transition_workflow(request.org_id, current.id, current.status,
                                                    action, *to, services.clock.now());
  return Response::json(200, to_json(updated));
}

Response patch_status(const Request& request, Services& services) {
  const Json body = request.json();
  FieldErrors errors;
  auto action_name = read_string(body, "action", errors);
  errors.throw_if_any();
  if (!action_name) throw http::bad_request("action is required");
  auto action = domain::lifecycle_action_from_string(*action_name);
  if (!action || *action == LifecycleAction::kCancel || *action == LifecycleAction::kComplete)
    throw http::bad_request("action must be one of activate, pause, resume, deactivate");
  return apply_action(request, services, *action);
}

Response get_validation(const Request& request, Services& services) {
  const Workflow workflow = require_workflow(request, services);
  return Response::json(
      200, domain::to_json(domain::validate_graph(services.store.load_graph(workflow.id))));
}

// A SPLIT node's variants in its config's order, with the leads that took each and the share
// of those that reached a CONVERTED node.
Json variant_counts(const std::string& workflow_id, const domain::Node& node, Services& services) {
  const auto counts = services.store.split_counts(workflow_id, node.id);
  Json out = Json::array();
  for (const auto& variant : domain::parse_split_config(node.config).variants) {
    std::int64_t leads = 0, converted = 0;
    for (const auto& count : counts)
      if (util::iequals(count.label, variant.label)) {
        leads += count.leads;
        converted += count.converted;
      }
    out.push_back({{"label", variant.label},
                   {"weight", variant.weight},
                   {"leads", leads},
                   {"converted", converted},
                   {"conversion_rate", leads > 0 ? double(converted) / double(leads) : 0.0}});
  }
  return out;
}

Response get_graph(const Request& request, Services& services) {
  const Workflow workflow = require_workflow(request, services);
  const domain::Graph graph = services.store.load_graph(workflow.id);
  Json nodes = Json::array(), edges = Json::array(), lead_counts = Json::object(),
       status_counts = Json::object();
  for (const auto& n : graph.nodes) nodes.push_back(to_json(n));
  for (const auto& e : graph.edges) edges.push_back(to_json(e));
  for (const auto& [node_id, counts] : services.store.lead_counts_by_node(workflow.id))
    lead_counts[node_id] = {{"active", counts.active},
                            {"waiting", counts.waiting},
                            {"stalled", counts.stalled},
                            {"blocked", counts.blocked}};
  for (auto status :
       {"pending", "active", "completed", "dropped", "removed", "cancelled", "failed"})
    status_counts[status] = 0;
  for (const auto& [status, count] : services.store.lead_counts_by_status(workflow.id))
    status_counts[status] = count;
  const auto blocked = services.store.blocked_counts(workflow.id);
  Json split_variants = Json::object();
  for (const auto& n : graph.nodes)
    if (n.type == domain::NodeType::kSplit)
      split_variants[n.id] = variant_counts(workflow.id, n, services);
  return Response::json(200, {{"workflow", to_json(workflow)},
                              {"nodes", std::move(nodes)},
                              {"edges", std::move(edges)},
                              {"lead_counts", std::move(lead_counts)},
                              {"status_counts", std::move(status_counts)},
                              {"blocked_counts",
                               {{"calling_window", blocked.calling_window},
                                {"contact_cap", blocked.contact_cap},
                                {"suppressed", blocked.suppressed},
                                {"consent", blocked.consent}}},
                              {"split_variants", std::move(split_variants)}});
}
}  // namespace

void register_workflow_routes(http::Router& router, Services& s) {
  auto lifecycle = [&s](LifecycleAction action) {
    return [action, &s](const Request& r) { return apply_action(r, s, action); };
  };
  router.add("POST", "/v1/workflows", bind(create_workflow, s));
  router.add("GET", "/v1/workflows", bind(list_workflows, s));
  router.add("GET", "/v1/workflows/{id}", bind(get_workflow, s));
  router.add("PATCH", "/v1/workflows/{id}", bind(update_workflow, s));
  router.add("DELETE", "/v1/workflows/{id}", bind(delete_workflow, s));
  router.add("POST", "/v1/workflows/{id}/duplicate", bind(duplicate_workflow, s));
  router.add("POST", "/v1/workflows/{id}/activate", lifecycle(LifecycleAction::kActivate));
  router.add("POST", "/v1/workflows/{id}/pause", lifecycle(LifecycleAction::kPause));
  router.add("POST", "/v1/workflows/{id}/resume", lifecycle(LifecycleAction::kResume));
  router.add("POST", "/v1/workflows/{id}/cancel", lifecycle(LifecycleAction::kCancel));
  router.add("POST", "/v1/workflows/{id}/complete", lifecycle(LifecycleAction::kComplete));
  router.add("PATCH", "/v1/workflows/{id}/status", bind(patch_status, s));
  router.add("GET", "/v1/workflows/{id}/validation", bind(get_validation, s));
  router.add("GET", "/v1/workflows/{id}/graph", bind(get_graph, s));
}

}  // namespace leadline::api

#include "api/input.h"

#include <charconv>

#include "http/errors.h"

namespace leadline::api {
namespace {
std::optional<int> parse_int(std::string_view text) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

int read_int_param(const http::Request& request, std::string_view name, int fallback, int min,
                   int max, std::vector<std::string>& errors) {
  auto raw = request.query_param(name);
  if (!raw) return fallback;
  auto value = parse_int(*raw);
  if (!value || *value < min || *value > max) {
    errors.push_back(std::string(name) + " must be an integer from " + std::to_string(min) +
                     (max == INT32_MAX ? " up" : " to " + std::to_string(max)));
    return fallback;
  }
  return *value;
}
}  // namespace

void FieldErrors::throw_if_any() const {
  if (!messages_.empty()) throw http::bad_request(messages_);
}

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

size_t utf8_length(std::string_view text) {
  size_t count = 0;
  for (unsigned char c : text)
    if ((c & 0xC0) != 0x80) ++count;
  return count;
}

std::optional<std::string> read_string(const Json& body, std::string_view field,
                                       FieldErrors& errors) {
  auto it = body.find(field);
  if (it == body.end()) return std::nullopt;
  if (!it->is_string()) {
    errors.add(std::string(field) + " must be a string");
    return std::nullopt;
  }
  return trim(it->get_ref<const std::string&>());
}

std::optional<std::optional<std::string>> read_nullable_string(const Json& body,
                                                               std::string_view field,
                                                               FieldErrors& errors) {
  auto it = body.find(field);
  if (it == body.end()) return std::nullopt;
  if (it->is_null()) return std::optional<std::string>{};
  if (!it->is_string()) {
    errors.add(std::string(field) + " must be a string or null");
    return std::nullopt;
  }
  return std::optional<std::string>{it->get<std::string>()};
}

std::optional<double> read_number(const Json& body, std::string_view field, FieldErrors& errors) {
  auto it = body.find(field);
  if (it == body.end()) return std::nullopt;
  if (!it->is_number()) {
    errors.add(std::string(field) + " must be a number");
    return std::nullopt;
  }
  return it->get<double>();
}

void check_length(const std::string& value, std::string_view field, size_t min, size_t max,
                  FieldErrors& errors) {
  const size_t length = utf8_length(value);
  if (length < min)
    errors.add(std::string(field) +
               (min == 1 ? " must not be empty"
                         : " must be at least " + std::to_string(min) + " characters"));
  else if (length > max)
    errors.add(std::string(field) + " must be at most " + std::to_string(max) + " characters");
}

store::PageRequest read_page(const http::Request& request) {
  std::vector<std::string> errors;
  store::PageRequest page;
  page.page = read_int_param(request, "page", 1, 1, INT32_MAX, errors);
  page.limit = read_int_param(request, "limit", 20, 1, 100, errors);
  if (!errors.empty()) throw http::bad_request(errors);
  return page;
}

domain::Workflow require_workflow(const http::Request& request, Services& services) {
  auto workflow = services.store.find_workflow(request.org_id, request.param("id"));
  if (!workflow) throw http::not_found("Workflow not found");
  return *workflow;
}

domain::Workflow require_editable_workflow(const http::Request& request, Services& services) {
  auto workflow = require_workflow(request, services);
  if (domain::is_final(workflow.status))
    throw http::conflict("Workflow is " + std::string(to_string(workflow.status)) +
                         " and can no longer be changed");
  return workflow;
}

domain::Lead require_lead(const http::Request& request, Services& services,
                          const std::string& workflow_id) {
  auto lead = services.store.find_lead(workflow_id, request.param("leadId"));
  if (!lead) throw http::not_found("Lead not found");
  return *lead;
}

Json paginated(Json data, const store::PageRequest& page, std::int64_t total) {
  Json body;
  body["data"] = std::move(data);
  body["meta"] = {{"page", page.page},
                  {"limit", page.limit},
                  {"total", total},
                  {"totalPages", (total + page.limit - 1) / page.limit}};
  return body;
}

bool read_flag(const http::Request& request, std::string_view name) {
  auto value = request.query_param(name);
  if (!value || *value == "false" || *value == "0") return false;
  if (value->empty() || *value == "true" || *value == "1") return true;
  throw http::bad_request(std::string(name) + " must be true or false");
}

bool WorkflowLookup::exists(const std::string& workflow_id) {
  auto [it, added] = known_.emplace(workflow_id, false);
  if (added) it->second = services_.store.find_workflow(org_id_, workflow_id).has_value();
  return it->second;
}

}  // namespace leadline::api

#pragma once
// Reading request fields: each reader records a clear message per bad field in FieldErrors,
// so one 400 lists every problem of a body at once.
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "api/services.h"
#include "domain/lead.h"
#include "domain/workflow.h"
#include "http/message.h"
#include "store/store.h"
#include "util/json.h"

namespace leadline::api {

class FieldErrors {
 public:
  void add(std::string message) { messages_.push_back(std::move(message)); }
  bool empty() const { return messages_.empty(); }
  // Throws bad_request listing every message when there is any.
  void throw_if_any() const;

 private:
  std::vector<std::string> messages_;
};

// A trimmed string field. Absent → nullopt; present but not a string → error.
std::optional<std::string> read_string(const Json& body, std::string_view field,
                                       FieldErrors& errors);
// Like read_string, but JSON null is a value of its own (outer set, inner nullopt).
std::optional<std::optional<std::string>> read_nullable_string(const Json& body,
                                                               std::string_view field,
                                                               FieldErrors& errors);
std::optional<double> read_number(const Json& body, std::string_view field, FieldErrors& errors);
// Checks 1 <= length <= max (in characters, UTF-8 aware) and records "<field> ..." messages.
void check_length(const std::string& value, std::string_view field, size_t min, size_t max,
                  FieldErrors& errors);
size_t utf8_length(std::string_view text);
std::string trim(std::string_view text);

// page/limit from the query string (spec §1 "Pagination"); throws bad_request when out of
// range or not an integer.
store::PageRequest read_page(const http::Request& request);
// A true/false query parameter: absent, "false" or "0" is false; "", "true" or "1" true;
// anything else throws bad_request.
bool read_flag(const http::Request& request, std::string_view name);
// {"data": [...], "meta": {"page", "limit", "total", "totalPages"}}.
Json paginated(Json data, const store::PageRequest& page, std::int64_t total);

// Whether ids name workflows of one organization, each id looked up once (bulk bodies name
// the same workflow many times).
class WorkflowLookup {
 public:
  WorkflowLookup(Services& services, std::string org_id)
      : services_(services), org_id_(std::move(org_id)) {}
  bool exists(const std::string& workflow_id);

 private:
  Services& services_;
  std::string org_id_;
  std::unordered_map<std::string, bool> known_;
};

// The workflow named by the {id} path parameter in the caller's organization; throws 404.
domain::Workflow require_workflow(const http::Request& request, Services& services);
// Same, and throws 409 when it is completed or cancelled (graph edits, enrolment).
domain::Workflow require_editable_workflow(const http::Request& request, Services& services);
// The lead named by the {leadId} path parameter in that workflow; throws 404.
domain::Lead require_lead(const http::Request& request, Services& services,
                          const std::string& workflow_id);

}  // namespace leadline::api

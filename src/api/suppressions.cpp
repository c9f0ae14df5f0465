// Routes of the do-not-call list (compliance extension, spec §7a): an organization's
// suppressed numbers, added one at a time, in lists or from a CSV/XLSX file, and read back.
#include <algorithm>
#include <cctype>

#include "api/input.h"
#include "api/lead_input.h"
#include "api/routes.h"
#include "domain/render.h"
#include "http/errors.h"
#include "util/ids.h"
#include "util/phone.h"

namespace leadline::api {
namespace {
using domain::Suppression;
using http::Request;
using http::Response;

constexpr size_t kMaxEntriesPerRequest = 10'000;  // JSON lists; files take as many as leads
constexpr size_t kMaxReason = 500;
constexpr std::string_view kDefaultCountry = "US";  // for numbers written without +country

Json to_json(const Suppression& e) {
  return {{"id", e.id},
          {"phone_number", e.phone_number},
          {"reason", e.reason ? Json(*e.reason) : Json(nullptr)},
          {"source", to_string(e.source)},
          {"workflow_id", e.workflow_id ? Json(*e.workflow_id) : Json(nullptr)},
          {"expires_at", domain::iso_or_null(e.expires_at)},
          {"created_at", util::format_iso(e.created_at)},
          {"updated_at", util::format_iso(e.updated_at)}};
}

// One entry's fields, from a JSON object or a file row (whose cells are all text). Every
// problem goes to `problems`; the entry is usable when there is none.
class EntryReader {
 public:
  EntryReader(const Request& request, Services& services, domain::SuppressionSource source)
      : request_(request),
        source_(source),
        now_(services.clock.now()),
        workflows_(services, request.org_id) {}

  Suppression read(const Json& item, std::vector<std::string>& problems) {
    Suppression e;
    e.id = util::new_id("sup");
    e.org_id = request_.org_id;
    e.source = source_;
    e.created_at = e.updated_at = now_;
    if (!item.is_object()) {
      problems.push_back("an entry must be a JSON object with a phone_number");
      return e;
    }
    const Json phone = item.value("phone_number", Json(nullptr));
    if (!phone.is_string() || phone.get<std::string>().empty()) {
      problems.push_back("phone_number is required: a phone number as text");
    } else {
      auto result = util::normalize_phone(phone.get<std::string>(), kDefaultCountry);
      if (result.e164)
        e.phone_number = std::move(*result.e164);
      else
        problems.push_back("phone_number is " + result.error);
    }
    if (auto reason = text_field(item, "reason", problems)) {
      if (utf8_length(*reason) > kMaxReason)
        problems.push_back("reason must be at most " + std::to_string(kMaxReason) + " characters");
      e.reason = std::move(reason);
    }
    if (auto expires = text_field(item, "expires_at", problems)) {
      e.expires_at = util::parse_iso(*expires);
      if (!e.expires_at)
        problems.push_back("expires_at must be an ISO 8601 time such as 2027-01-31T00:00:00Z");
      else if (*e.expires_at <= now_)
        problems.push_back("expires_at is in the past; leave it out for an entry that never ends");
    }
    if (auto workflow = text_field(item, "workflow_id", problems)) {
      if (!workflows_.exists(*workflow))
        problems.push_back("workflow_id " + *workflow + " names no workflow of this organization");
      e.workflow_id = std::move(workflow);
    }
    return e;
  }

 private:
  // A text field; absent, null or (in files) an empty cell is no value.
  static std::optional<std::string> text_field(const Json& item, const std::string& field,
                                               std::vector<std::string>& problems) {
    auto it = item.find(field);
    if (it == item.end() || it->is_null()) return std::nullopt;
    if (!it->is_string()) {
      problems.push_back(field + " must be text");
      return std::nullopt;
    }
    std::string value = trim(it->get<std::string>());
    if (value.empty()) return std::nullopt;
    return value;
  }

  const Request& request_;
  const domain::SuppressionSource source_;
  const util::Millis now_;
  WorkflowLookup workflows_;
};

struct EntryRows {
  std::vector<Suppression> entries;
  std::vector<RowError> invalid;  // rows: 1-based in "entries", spreadsheet rows in files
  bool single = false;
};

EntryRows read_json_entries(const Request& request, Services& services) {
  const Json body = request.json();
  if (!body.is_object())
    throw http::bad_request(
        "body must be a JSON object: one entry, or {\"entries\": [...]}, or a CSV/XLSX upload");
  EntryReader reader(request, services, domain::SuppressionSource::kApi);
  EntryRows rows;
  auto list = body.find("entries");
  if (list == body.end()) {
    rows.single = true;
    std::vector<std::string> problems;
    rows.entries.push_back(reader.read(body, problems));
    if (!problems.empty()) throw http::bad_request(problems);
    return rows;
  }
  if (!list->is_array() || list->empty())
    throw http::bad_request("entries must be a non-empty list of entries");
  if (list->size() > kMaxEntriesPerRequest)
    throw http::bad_request("entries holds " + std::to_string(list->size()) + "; at most " +
                            std::to_string(kMaxEntriesPerRequest) +
                            " are accepted per request (upload a file for more)");
  for (size_t i = 0; i < list->size(); ++i) {
    std::vector<std::string> problems;
    auto entry = reader.read((*list)[i], problems);
    if (problems.empty()) {
      rows.entries.push_back(std::move(entry));
    } else {
      const Json& item = (*list)[i];
      const Json phone = item.is_object() ? item.value("phone_number", Json("")) : Json("");
      rows.invalid.push_back(
          {i + 1, phone.is_string() ? phone.get<std::string>() : phone.dump(), problems});
    }
  }
  return rows;
}

// A file reads as leads do (phone_number column required); the reason, expires_at and
// workflow_id columns fill the entry.
EntryRows read_file_entries(const Request& request, Services& services) {
  const LeadDefaults defaults{request.org_id, "", std::string(kDefaultCountry),
                              services.clock.now()};
  LeadRows leads = read_enrolment(request, defaults);
  EntryReader reader(request, services, domain::SuppressionSource::kUpload);
  EntryRows rows;
  rows.invalid = std::move(leads.invalid);
  for (size_t i = 0; i < leads.leads.size(); ++i) {
    Json item = leads.leads[i].variables;
    item["phone_number"] = leads.leads[i].phone_number;
    std::vector<std::string> problems;
    auto entry = reader.read(item, problems);
    if (problems.empty())
      rows.entries.push_back(std::move(entry));
    else
      rows.invalid.push_back({leads.row_numbers[i], leads.leads[i].phone_number, problems});
  }
  std::sort(rows.invalid.begin(), rows.invalid.end(),
            [](const RowError& a, const RowError& b) { return a.row < b.row; });
  return rows;
}

Response add_suppressions(const Request& request, Services& services) {
  std::string type(request.header("content-type"));
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const bool upload = type.starts_with("multipart/form-data");
  EntryRows rows =
      upload ? read_file_entries(request, services) : read_json_entries(request, services);
  Json invalid = Json::array();
  for (const auto& error : rows.invalid) {
    std::string reason;
    for (const auto& r : error.reasons) reason += (reason.empty() ? "" : "; ") + r;
    invalid.push_back(
        {{"row", error.row}, {"phone_number", error.phone_number}, {"reason", reason}});
  }
  if (!rows.invalid.empty() && !read_flag(request, "skip_invalid")) {
    Json messages = Json::array();
    for (const auto& row : invalid)
      messages.push_back("Row " + std::to_string(row["row"].get<size_t>()) + ": " +
                         row["reason"].get<std::string>());
    Json body = http::error_body(400, messages);
    body["errors"] = std::move(invalid);
    return Response::json(400, body);
  }
  auto added = services.store.add_suppressions(rows.entries);
  if (rows.single) return Response::json(added[0].created ? 201 : 200, to_json(added[0].entry));
  size_t created = 0;
  Json entries = Json::array();
  for (const auto& a : added) {
    created += a.created ? 1 : 0;
    entries.push_back(to_json(a.entry));
  }
  return Response::json(201, {{"added", created},
                              {"updated", added.size() - created},
                              {"skipped", invalid.size()},
                              {"entries", std::move(entries)},
                              {"invalid", std::move(invalid)}});
}

Response list_suppressions(const Request& request, Services& services) {
  store::SuppressionQuery query;
  query.page = read_page(request);
  if (auto search = request.query_param("search"); search && !search->empty()) {
    std::string digits;
    for (char c : *search)
      if ((c >= '0' && c <= '9') || c == '+') digits += c;
    if (digits.empty())
      throw http::bad_request("search must hold digits of a phone number, e.g. 555 or +1415");
    query.number_contains = std::move(digits);
  }
  if (auto workflow = request.query_param("workflow_id"))
    query.workflow_id = std::string(*workflow);
  auto page = services.store.list_suppressions(request.org_id, query);
  Json data = Json::array();
  for (const auto& e : page.items) data.push_back(to_json(e));
  return Response::json(200, paginated(std::move(data), query.page, page.total));
}

Response get_suppression(const Request& request, Services& services) {
  auto found = services.store.find_suppression(request.org_id, request.param("id"));
  if (!found) throw http::not_found("Suppression not found");
  return Response::json(200, to_json(*found));
}

Response delete_suppression(const Request& request, Services& services) {
  if (!services.store.delete_suppression(request.org_id, request.param("id")))
    throw http::not_found("Suppression not found");
  return Response::json(200, {{"message", "Suppression deleted."}});
}
}  // namespace

void register_suppression_routes(http::Router& router, Services& s) {
  router.add("POST", "/v1/suppressions", bind(add_suppressions, s));
  router.add("GET", "/v1/suppressions", bind(list_suppressions, s));
  router.add("GET", "/v1/suppressions/{id}", bind(get_suppression, s));
  router.add("DELETE", "/v1/suppressions/{id}", bind(delete_suppression, s));
}

}  // namespace leadline::api

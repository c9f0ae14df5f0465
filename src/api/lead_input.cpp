#include "api/lead_input.h"

#include <algorithm>
#include <cmath>
#include <future>
#include <string_view>
#include <thread>
#include <variant>

#include "api/input.h"
#include "domain/lead_timezone.h"
#include "http/errors.h"
#include "util/csv.h"
#include "util/ids.h"
#include "util/multipart.h"
#include "util/phone.h"
#include "util/timezone.h"
#include "util/xlsx.h"

namespace leadline::api {
namespace {
using domain::Lead;

constexpr std::string_view kTooMany =
    "at most 100,000 leads are accepted per request; split the list into several requests";

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Runs fn(begin, end) over [0, count) split across the cores; small inputs stay on the
// calling thread. Phone validation (ICU regexes) is most of an enrolment's parsing time.
template <typename Fn>
void parallel_for(size_t count, Fn&& fn) {
  constexpr size_t kMinPerThread = 5'000;
  const size_t threads = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 4);
  const size_t chunks = std::min(threads, std::max<size_t>(1, count / kMinPerThread));
  std::vector<std::future<void>> others;
  const size_t step = (count + chunks - 1) / std::max<size_t>(chunks, 1);
  for (size_t begin = step; begin < count; begin += step)
    others.push_back(std::async(
        std::launch::async, [&fn, begin, end = std::min(count, begin + step)] { fn(begin, end); }));
  fn(0, std::min(count, step));
  for (auto& other : others) other.get();  // rethrows what a chunk threw
}

// At most `max` bytes of `text`, cut on a UTF-8 character boundary, with "..." when cut.
std::string shortened(std::string_view text, size_t max) {
  if (text.size() <= max) return std::string(text);
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end)) + "...";
}

// The limits on one lead's variables (util/input_limits.h) and the values the engine
// interprets, as problems of the row. `field` names the variables in messages:
// "dynamic_variables" or "metadata" for JSON, "" for file columns.
void check_variables(const Json& variables, std::string_view field,
                     std::vector<std::string>& problems) {
  using namespace util::limits;
  const std::string prefix = field.empty() ? "" : std::string(field) + ".";
  if (variables.size() > kMaxVariablesPerLead)
    problems.push_back((field.empty() ? std::string("a row") : std::string(field)) + " holds " +
                       std::to_string(variables.size()) + " variables; at most " +
                       std::to_string(kMaxVariablesPerLead) + " are accepted per lead");
  for (auto it = variables.begin(); it != variables.end(); ++it) {
    const std::string& name = it.key();
    if (name.size() > kMaxVariableNameBytes) {
      problems.push_back((field.empty() ? std::string("column name ") : "variable name " + prefix) +
                         shortened(name, 32) + " is longer than " +
                         std::to_string(kMaxVariableNameBytes) + " bytes, the limit");
      continue;
    }
    // Names are stored as text of their own, which PostgreSQL refuses to hold a NUL in.
    if (name.find('\0') != std::string::npos) {
      problems.push_back("variable names must not contain NUL characters");
      continue;
    }
    if (!it->is_string()) continue;  // reported by stringify_variables
    const std::string& value = it->get_ref<const std::string&>();
    if (value.size() > kMaxVariableValueBytes) {
      problems.push_back(prefix + name + " is longer than " +
                         std::to_string(kMaxVariableValueBytes) + " bytes, the limit per value");
    } else if (name == domain::kTimezoneVariable && !util::is_known_timezone(value)) {
      problems.push_back(prefix + name + " " + shortened(value, 40) +
                         " is not an IANA time zone name such as America/New_York");
    }
  }
}

// Integral numbers print without a fraction ("42", not "42.0"); others as the shortest text
// that reads back the same.
std::string number_text(const Json& value) {
  if (value.is_number_integer()) return std::to_string(value.get<std::int64_t>());
  if (value.is_number_unsigned()) return std::to_string(value.get<std::uint64_t>());
  const double d = value.get<double>();
  if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 1e15)
    return std::to_string(static_cast<std::int64_t>(d));
  return value.dump();
}

// Turns the values of a variables object into strings in place (spec §5.1); null values are
// dropped, nested values are a problem of the row.
void stringify_variables(Json& variables, std::string_view field,
                         std::vector<std::string>& problems) {
  for (auto it = variables.begin(); it != variables.end();) {
    Json& value = it.value();
    if (it.key().empty()) problems.push_back(std::string(field) + " names must not be empty");
    if (value.is_string()) {
      ++it;
      continue;
    }
    if (value.is_null()) {
      it = variables.erase(it);
      continue;
    }
    if (value.is_boolean())
      value = value.get<bool>() ? "true" : "false";
    else if (value.is_number())
      value = number_text(value);
    else
      problems.push_back(std::string(field) + "." + it.key() +
                         " must be a string, number or boolean");
    ++it;
  }
}

void read_json_lead(Json& item, size_t row, EnrolmentRows& rows) {
  std::vector<std::string> problems;
  if (!item.is_object()) {
    rows.add(row, "", Json::object(), nullptr, {"lead must be an object"}, false);
    return;
  }
  std::string phone;
  bool phone_is_text = true;
  if (auto it = item.find("phone_number"); it != item.end() && !it->is_null()) {
    if (it->is_string())
      phone = it->get_ref<const std::string&>();
    else if (it->is_number_integer())
      phone = number_text(*it);  // a spreadsheet-minded client may send digits as a number
    else
      phone_is_text = false;
  }
  if (!phone_is_text) problems.push_back("phone_number must be a string");
  Json variables = Json::object();
  // metadata is the other name of dynamic_variables; dynamic_variables wins when both come.
  std::string_view field = "dynamic_variables";
  auto source = item.find(field);
  if (source == item.end() || source->is_null()) {
    field = "metadata";
    source = item.find(field);
  }
  if (source != item.end() && !source->is_null()) {
    if (source->is_object()) {
      stringify_variables(*source, field, problems);
      check_variables(*source, field, problems);
      variables = std::move(*source);
    } else {
      problems.push_back(std::string(field) + " must be an object");
    }
  }
  Json consent = nullptr;
  if (auto it = item.find("consent"); it != item.end())
    consent = domain::read_consent(*it, rows.now(), problems);
  rows.add(row, std::move(phone), std::move(variables), std::move(consent), std::move(problems),
           phone_is_text);
}

EnrolmentRows read_json(const http::Request& request, const LeadDefaults& defaults) {
  Json body = request.json();
  EnrolmentRows rows(defaults);
  auto list = body.find("leads");
  if (list == body.end()) {
    rows.rows().single = true;
    rows.reserve(1);
    read_json_lead(body, 1, rows);
    return rows;
  }
  if (!list->is_array()) throw http::bad_request("leads must be an array of lead objects");
  if (list->empty()) throw http::bad_request("leads must hold at least one lead");
  if (list->size() > kMaxLeadsPerRequest)
    throw http::bad_request("leads holds " + std::to_string(list->size()) + " leads; " +
                            std::string(kTooMany));
  rows.reserve(list->size());
  size_t row = 0;
  for (Json& item : *list) read_json_lead(item, ++row, rows);
  return rows;
}

// A file gives consent in the columns consent_type, consent_source, consent_obtained_at and
// consent_evidence; they are taken out of the row's variables.
Json consent_columns(Json& variables, util::Millis now, std::vector<std::string>& problems) {
  Json consent = Json::object();
  for (const char* field : {"type", "source", "obtained_at", "evidence"}) {
    auto it = variables.find(std::string("consent_") + field);
    if (it == variables.end()) continue;
    consent[field] = std::move(*it);
    variables.erase(it);
  }
  if (consent.empty()) return nullptr;
  return domain::read_consent(consent, now, problems);
}

EnrolmentRows read_table(const util::Table& table, const LeadDefaults& defaults) {
  std::optional<size_t> phone_column;
  for (size_t c = 0; c < table.header.size(); ++c) {
    const std::string name = trim(table.header[c]);
    if (name.empty()) continue;
    for (size_t d = 0; d < c; ++d)
      if (trim(table.header[d]) == name)
        throw http::bad_request("The file's header row names the column " + name + " twice");
    if (lower(name) == "phone_number") phone_column = c;
  }
  if (!phone_column)
    throw http::bad_request("The file's header row (row 1) has no phone_number column");
  if (table.rows.empty()) throw http::bad_request("The file has no lead rows below its header");
  if (table.rows.size() > kMaxLeadsPerRequest)
    throw http::bad_request("The file holds " + std::to_string(table.rows.size()) + " lead rows; " +
                            std::string(kTooMany));
  std::vector<std::string> names;
  for (const auto& name : table.header) names.push_back(trim(name));

  EnrolmentRows rows(defaults);
  rows.rows().from_file = true;
  rows.rows().encoding = table.encoding;
  rows.reserve(table.rows.size());
  for (size_t r = 0; r < table.rows.size(); ++r) {
    const auto& cells = table.rows[r];
    Json variables = Json::object();
    for (size_t c = 0; c < cells.size() && c < names.size(); ++c) {
      if (c == *phone_column || names[c].empty()) continue;
      std::string value = trim(cells[c]);
      if (!value.empty()) variables.emplace(names[c], std::move(value));
    }
    std::vector<std::string> problems;
    Json consent = consent_columns(variables, defaults.now, problems);
    check_variables(variables, "", problems);
    // The header is spreadsheet row 1, so the first data row is row 2.
    rows.add(r + 2, cells[*phone_column], std::move(variables), std::move(consent),
             std::move(problems));
  }
  return rows;
}

enum class FileKind { kCsv, kXlsx };

// The extension decides; without a known one, the part's type, then the zip signature.
FileKind file_kind(const util::FormPart& part) {
  const std::string name = lower(part.filename);
  if (name.ends_with(".csv")) return FileKind::kCsv;
  if (name.ends_with(".xlsx")) return FileKind::kXlsx;
  if (name.ends_with(".xls"))
    throw http::bad_request("Legacy .xls files are not supported; save the sheet as .xlsx or CSV");
  const std::string type = lower(part.content_type);
  if (type.find("spreadsheetml") != std::string::npos) return FileKind::kXlsx;
  if (type.find("csv") != std::string::npos) return FileKind::kCsv;
  return part.data.starts_with("PK") ? FileKind::kXlsx : FileKind::kCsv;
}

EnrolmentRows read_upload(const http::Request& request, const LeadDefaults& defaults) {
  auto parts = util::parse_multipart(request.body, request.header("content-type"));
  if (auto* error = std::get_if<util::ParseError>(&parts))
    throw http::bad_request("Malformed multipart body: " + error->message);
  const util::FormPart* file = nullptr;
  for (const auto& part : std::get<std::vector<util::FormPart>>(parts))
    if (part.name == "file") file = &part;
  if (!file) throw http::bad_request("Send the lead file in a form field named file");
  if (file->data.size() > kMaxUploadBytes)
    throw http::payload_too_large("The file is larger than 50 MB; split it into smaller files");
  const FileKind kind = file_kind(*file);
  auto table = kind == FileKind::kXlsx ? util::parse_xlsx(file->data) : util::parse_csv(file->data);
  if (auto* error = std::get_if<util::ParseError>(&table))
    throw http::bad_request(std::string("Cannot read the ") +
                            (kind == FileKind::kXlsx ? "XLSX" : "CSV") +
                            " file: " + error->message);
  return read_table(std::get<util::Table>(table), defaults);
}

// The media type without parameters, lower-cased: "multipart/form-data".
std::string media_type(std::string_view header) {
  return lower(trim(header.substr(0, header.find(';'))));
}
}  // namespace

EnrolmentRows read_enrolment_rows(const http::Request& request, const LeadDefaults& defaults) {
  const std::string type = media_type(request.header("content-type"));
  if (type == "multipart/form-data") return read_upload(request, defaults);
  // curl -d labels JSON as a form, so that label is read as JSON too (like every JSON route).
  if (type.empty() || type == "application/json" || type.ends_with("+json") ||
      type == "text/json" || type == "application/x-www-form-urlencoded")
    return read_json(request, defaults);
  throw http::unsupported_media_type(
      "Content-Type " + type +
      " is not supported here; send application/json, or multipart/form-data with the lead "
      "file in a field named file");
}

LeadRows read_enrolment(const http::Request& request, const LeadDefaults& defaults) {
  EnrolmentRows rows = read_enrolment_rows(request, defaults);
  rows.check_all();
  return std::move(rows.rows());
}

void EnrolmentRows::reserve(size_t count) {
  pending_.reserve(count);
  rows_.leads.reserve(count);
  rows_.row_numbers.reserve(count);
}

void EnrolmentRows::add(size_t row, std::string raw_phone, Json variables, Json consent,
                        std::vector<std::string> problems, bool check_phone) {
  if (defaults_.required_consent)
    if (auto shortfall = domain::consent_shortfall(consent, *defaults_.required_consent))
      problems.push_back(std::move(*shortfall));
  pending_.push_back({row, std::move(raw_phone), std::move(variables), std::move(consent),
                      std::move(problems), check_phone});
}

void EnrolmentRows::check_next(size_t count) {
  const size_t first = checked_, end = std::min(pending_.size(), checked_ + count);
  // Leads handed out before must not move: reserve() made room for every row.
  if (rows_.leads.capacity() < pending_.size()) reserve(pending_.size());
  std::vector<util::PhoneResult> phones(end - first);
  parallel_for(end - first, [&](size_t begin, size_t stop) {
    for (size_t i = begin; i < stop; ++i)
      if (pending_[first + i].check_phone)
        phones[i] = util::normalize_phone(pending_[first + i].raw_phone, defaults_.default_country);
  });
  // Lead ids of one chunk grow in input order: the id index takes the chunk in one sweep
  // instead of at random places, and ties in created_at list in input order.
  const size_t first_lead = rows_.leads.size();
  for (size_t i = first; i < end; ++i) {
    Pending& p = pending_[i];
    util::PhoneResult& phone = phones[i - first];
    if (p.check_phone && !phone.e164) {
      // Reasons read as sentences about the field: "phone_number is not a phone number".
      auto& error = phone.error;
      p.problems.insert(p.problems.begin(), error.starts_with("phone_number")
                                                ? std::move(error)
                                                : "phone_number is " + error);
    }
    if (!p.problems.empty()) {
      rows_.invalid.push_back({p.row, std::move(p.raw_phone), std::move(p.problems)});
      continue;
    }
    Lead& lead = rows_.leads.emplace_back();
    lead.org_id = defaults_.org_id;
    lead.workflow_id = defaults_.workflow_id;
    lead.phone_number = std::move(*phone.e164);
    lead.variables = std::move(p.variables);
    lead.consent = std::move(p.consent);
    lead.next_action_at = defaults_.now;  // the engine starts it once the workflow is active
    lead.enrolled_at = lead.created_at = lead.updated_at = defaults_.now;
    rows_.row_numbers.push_back(p.row);
  }
  auto ids = util::new_ids("wlead", rows_.leads.size() - first_lead);
  for (size_t i = 0; i < ids.size(); ++i) rows_.leads[first_lead + i].id = std::move(ids[i]);
  checked_ = end;
}

std::span<const domain::Lead> CheckedChunks::next() {
  // The check of the chunk ahead writes rows_: nothing of it is read before it ended.
  if (ahead_.valid()) ahead_.get();  // rethrows what the check threw
  LeadRows& rows = rows_.rows();
  const auto invalid_found = [&] { return !skip_invalid_ && !rows.invalid.empty(); };
  // A chunk whose rows were all invalid (and skipped) gives no lead: the next one may.
  while (rows.leads.size() == handed_out_ && !rows_.all_checked() && !invalid_found())
    rows_.check_next(kRowsPerChunk);  // nothing to overlap with
  if (invalid_found()) throw InvalidRowsFound();
  const std::span<const domain::Lead> chunk(rows.leads.data() + handed_out_,
                                            rows.leads.size() - handed_out_);
  handed_out_ = rows.leads.size();
  if (!rows_.all_checked())
    ahead_ = std::async(std::launch::async, [this] { rows_.check_next(kRowsPerChunk); });
  return chunk;
}

}  // namespace leadline::api

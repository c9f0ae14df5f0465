#pragma once
// Turns the three enrolment forms of spec §5.3 (one JSON lead, a JSON list, a CSV or XLSX
// upload) into lead rows ready for the store, and the rows that failed with their reasons.
// Request-level problems (wrong content type, no phone_number column, too many rows) throw
// ApiError; row-level problems are collected so one answer can list them all.
#include <cstddef>
#include <string>
#include <vector>

#include "domain/consent.h"
#include "domain/lead.h"
#include "http/message.h"
#include "util/csv.h"
#include "util/input_limits.h"
#include "util/time.h"

namespace leadline::api {

inline constexpr size_t kMaxLeadsPerRequest = util::limits::kMaxLeadsPerRequest;
inline constexpr size_t kMaxUploadBytes = util::limits::kMaxUploadBytes;

// What every new lead of one request shares.
struct LeadDefaults {
  std::string org_id;
  std::string workflow_id;
  std::string default_country;  // ISO region for national numbers, e.g. "US"
  util::Millis now = 0;
  // settings.require_consent: a row without such consent is invalid.
  std::optional<domain::ConsentLevel> required_consent = std::nullopt;
};

struct RowError {
  size_t row = 0;            // JSON: 1-based index in "leads"; files: spreadsheet row (header = 1)
  std::string phone_number;  // as sent
  std::vector<std::string> reasons;  // every problem of the row, phone_number first
};

struct LeadRows {
  bool single = false;              // the one-lead JSON form
  std::vector<domain::Lead> leads;  // valid rows in input order: new ids, status pending
  std::vector<size_t> row_numbers;  // row number of each entry of `leads`
  std::vector<RowError> invalid;    // in row order
  bool from_file = false;           // a CSV or XLSX upload
  util::TextEncoding encoding = util::TextEncoding::kUtf8;  // how a CSV file was read
};

// Reads the request body in whichever form its Content-Type names. Throws ApiError 400 for
// a malformed body, 413 for an upload over kMaxUploadBytes, 415 for another content type.
LeadRows read_enrolment(const http::Request& request, const LeadDefaults& defaults);

}  // namespace leadline::api

#pragma once
// Turns the three enrolment forms of spec §5.3 (one JSON lead, a JSON list, a CSV or XLSX
// upload) into lead rows ready for the store, and the rows that failed with their reasons.
// Request-level problems (wrong content type, no phone_number column, too many rows) throw
// ApiError; row-level problems are collected so one answer can list them all.
#include <cstddef>
#include <exception>
#include <future>
#include <span>
#include <string>
#include <vector>

#include "domain/consent.h"
#include "domain/lead.h"
#include "http/message.h"
#include "store/store.h"
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

// The rows of one request as read from its body, their phone numbers not yet checked.
// Checking them (libphonenumber's regexes: most of the parsing time) is done a chunk at a
// time by check_next(), so the store can write one chunk while the next is checked.
class EnrolmentRows {
 public:
  explicit EnrolmentRows(LeadDefaults defaults) : defaults_(std::move(defaults)) {}

  void reserve(size_t count);
  util::Millis now() const { return defaults_.now; }
  // A row whose phone_number could not even be read as text (problems already say why)
  // passes check_phone = false so the phone is not reported twice.
  void add(size_t row, std::string raw_phone, Json variables, Json consent,
           std::vector<std::string> problems, bool check_phone = true);

  // Checks the next `count` rows on every core: valid rows join rows().leads (with new ids),
  // the others rows().invalid with every reason they failed for. rows().leads has room for
  // every row from the start, so leads already handed out never move.
  void check_next(size_t count);
  void check_all() { check_next(pending_.size()); }
  bool all_checked() const { return checked_ == pending_.size(); }
  // What is checked so far.
  LeadRows& rows() { return rows_; }

 private:
  struct Pending {
    size_t row;
    std::string raw_phone;
    Json variables;
    Json consent;
    std::vector<std::string> problems;
    bool check_phone;
  };
  LeadDefaults defaults_;
  LeadRows rows_;
  std::vector<Pending> pending_;
  size_t checked_ = 0;
};

// Reads the request body in whichever form its Content-Type names. Throws ApiError 400 for
// a malformed body, 413 for an upload over kMaxUploadBytes, 415 for another content type.
EnrolmentRows read_enrolment_rows(const http::Request& request, const LeadDefaults& defaults);
// The same, every row checked.
LeadRows read_enrolment(const http::Request& request, const LeadDefaults& defaults);

// Thrown by CheckedChunks at the first invalid row when invalid rows are not skipped: the
// enrolment is rolled back and the request answered with every invalid row.
class InvalidRowsFound : public std::exception {
 public:
  const char* what() const noexcept override { return "the request has invalid rows"; }
};

// The request's valid leads for the store a chunk at a time: while the store writes one
// chunk, the next one's phone numbers are checked on the other cores.
class CheckedChunks final : public store::LeadSource {
 public:
  static constexpr size_t kRowsPerChunk = 10'000;
  CheckedChunks(EnrolmentRows& rows, bool skip_invalid)
      : rows_(rows), skip_invalid_(skip_invalid) {}
  std::span<const domain::Lead> next() override;

 private:
  EnrolmentRows& rows_;
  const bool skip_invalid_;
  size_t handed_out_ = 0;
  std::future<void> ahead_;  // the check of the next chunk; last, so it ends first
};

}  // namespace leadline::api

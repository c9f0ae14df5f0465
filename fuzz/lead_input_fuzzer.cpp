// Lead enrolment bodies (POST /v1/workflows/{id}/leads) through read_enrolment, the same
// function the route calls: one JSON lead, a JSON list, or a multipart CSV/XLSX upload.
// Input: the Content-Type header on the first line, then the body.
#include <string>

#include "api/lead_input.h"
#include "fuzz_support.h"
#include "http/errors.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace leadline;
  const auto [content_type, body] = fuzz::split_first_line(fuzz::as_text(data, size));
  http::Request request;
  request.method = "POST";
  request.path = "/v1/workflows/wf_fuzz/leads";
  if (!content_type.empty())
    request.headers.emplace_back("content-type", std::string(content_type));
  request.body = std::string(body);
  api::LeadDefaults defaults{"org_fuzz", "wf_fuzz", "US", 1779800400000};
  try {
    const auto rows = api::read_enrolment(request, defaults);
    if (rows.leads.size() != rows.row_numbers.size()) fuzz::fail("a lead without its row number");
    for (const auto& lead : rows.leads) {
      if (lead.phone_number.empty() || lead.phone_number.front() != '+')
        fuzz::fail("an enrolled lead without an E.164 number");
      // Stored as JSON, dumped strictly: a cell that is not UTF-8 must have been converted
      // (CSV read as Windows-1252) or refused (XLSX) by now (regressions/lead_input).
      (void)lead.variables.dump();
    }
    for (const auto& row : rows.invalid) {
      if (row.reasons.empty()) fuzz::fail("an invalid row without a reason");
    }
  } catch (const http::ApiError& error) {
    // The 400/413/415 answers of the route; Response::json sends them with invalid UTF-8
    // replaced, as here.
    (void)error.message().dump(-1, ' ', false, leadline::Json::error_handler_t::replace);
  }
  return 0;
}

// POST /v1/call-events bodies: parse_json as the route does, then parse_call_report, and
// the outcome mapping on the strings a provider may send.
#include <string>

#include "domain/call_report.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace leadline;
  const auto body = fuzz::json_of(fuzz::as_text(data, size));
  if (!body) return 0;
  const auto parsed = domain::parse_call_report(*body);
  if (const auto* report = std::get_if<domain::CallReport>(&parsed)) {
    if (!report->call_id && !report->provider_call_id && !report->idempotency_key)
      fuzz::fail("a call report names no call");
    if (!report->postcall_analysis.is_null() && !report->postcall_analysis.is_object())
      fuzz::fail("postcall_analysis is neither null nor an object");
    (void)report->postcall_analysis.dump();  // stored and rendered later
  }
  if (body->is_object()) {
    const auto text = [&](const char* key) {
      auto it = body->find(key);
      return it != body->end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    const auto duration = body->find("duration");
    std::optional<double> seconds;
    if (duration != body->end() && duration->is_number()) seconds = duration->get<double>();
    (void)domain::outcome_for_provider_status(text("status"), text("end_reason"), seconds, true);
    (void)domain::outcome_for_provider_status(text("status"), text("end_reason"), seconds, false);
  }
  return 0;
}

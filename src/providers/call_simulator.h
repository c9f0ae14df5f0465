#pragma once
// The built-in call provider: no network, outcomes read from the lead's variables
// (spec §6.1) or drawn reproducibly from a distribution seeded by the lead id. Pure and
// thread-safe: the same lead and call index always give the same result.
#include <string>
#include <utility>
#include <vector>

#include "domain/lead.h"
#include "util/json.h"

namespace leadline::providers {

struct SimulatedCall {
  std::string outcome;  // COMPLETED, NO_ANSWER, BUSY, VOICEMAIL, FAILED
  std::string end_reason;
  double duration_seconds = 0;
  Json postcall_analysis = nullptr;  // object for completed calls with sim_analysis
  std::string transcript;
};

struct SimulatorOptions {
  // Simulated length of a call, in clock milliseconds (--sim-call-seconds).
  std::int64_t call_millis = 30'000;
  // Weights of outcomes for leads without sim_outcomes.
  std::vector<std::pair<std::string, double>> distribution = {
      {"COMPLETED", 40}, {"NO_ANSWER", 35}, {"BUSY", 10}, {"VOICEMAIL", 10}, {"FAILED", 5}};
};

class CallSimulator {
 public:
  explicit CallSimulator(SimulatorOptions options = {});
  // The result of the lead's call number `call_index` (0 = its first call in the workflow).
  SimulatedCall simulate(const domain::Lead& lead, std::int64_t call_index) const;
  std::int64_t call_millis() const { return options_.call_millis; }

 private:
  SimulatorOptions options_;
  double total_weight_ = 0;
};

// "key=value;key=value" -> {"key": "value", ...}; malformed pairs are skipped.
Json parse_sim_analysis(std::string_view text);

}  // namespace leadline::providers

#include "providers/call_simulator.h"

#include <functional>
#include <string_view>

namespace leadline::providers {
namespace {
std::string trim_upper(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool is_outcome(std::string_view text) {
  return text == "COMPLETED" || text == "NO_ANSWER" || text == "BUSY" || text == "VOICEMAIL" ||
         text == "FAILED";
}

// The index-th entry of a comma-separated list; the last entry repeats once it runs out.
std::string nth_outcome(std::string_view list, std::int64_t index) {
  std::string last;
  std::int64_t i = 0;
  while (true) {
    const auto comma = list.find(',');
    std::string item = trim_upper(list.substr(0, comma));
    if (!item.empty()) {
      last = item;
      if (i++ == index) return item;
    }
    if (comma == std::string_view::npos) return last;
    list.remove_prefix(comma + 1);
  }
}

const char* end_reason_for(std::string_view outcome) {
  if (outcome == "COMPLETED") return "call_completed";
  if (outcome == "NO_ANSWER") return "user_did_not_pick_up";
  if (outcome == "BUSY") return "user_busy";
  if (outcome == "VOICEMAIL") return "voicemail_detected";
  return "call_failed";
}
}  // namespace

CallSimulator::CallSimulator(SimulatorOptions options) : options_(std::move(options)) {
  for (const auto& [outcome, weight] : options_.distribution) total_weight_ += weight;
}

SimulatedCall CallSimulator::simulate(const domain::Lead& lead, std::int64_t call_index) const {
  SimulatedCall call;
  auto listed = lead.variables.find("sim_outcomes");
  if (listed != lead.variables.end() && listed->is_string())
    call.outcome = nth_outcome(listed->get_ref<const std::string&>(), call_index);
  if (!is_outcome(call.outcome)) {
    // Reproducible draw: the same lead and call index always land on the same outcome.
    const auto seed = std::hash<std::string>{}(lead.id + "#" + std::to_string(call_index));
    double point = static_cast<double>(seed % 1'000'000) / 1'000'000.0 * total_weight_;
    call.outcome = options_.distribution.empty() ? "COMPLETED" : options_.distribution.back().first;
    for (const auto& [outcome, weight] : options_.distribution) {
      if (point < weight) {
        call.outcome = outcome;
        break;
      }
      point -= weight;
    }
  }
  call.end_reason = end_reason_for(call.outcome);
  if (call.outcome == "COMPLETED") {
    call.duration_seconds = static_cast<double>(options_.call_millis) / 1000.0;
    auto analysis = lead.variables.find("sim_analysis");
    call.postcall_analysis = analysis != lead.variables.end() && analysis->is_string()
                                 ? parse_sim_analysis(analysis->get_ref<const std::string&>())
                                 : Json::object();
    call.transcript = "Agent: Hello, this is a simulated call.\nLead: Hi.";
  }
  return call;
}

Json parse_sim_analysis(std::string_view text) {
  Json out = Json::object();
  while (!text.empty()) {
    const auto semi = text.find(';');
    const std::string_view pair = text.substr(0, semi);
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && eq > 0) {
      std::string key(pair.substr(0, eq)), value(pair.substr(eq + 1));
      out[key] = value;
    }
    if (semi == std::string_view::npos) break;
    text.remove_prefix(semi + 1);
  }
  return out;
}

}  // namespace leadline::providers

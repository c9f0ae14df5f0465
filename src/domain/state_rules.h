#pragma once
// The built-in, versioned pack of US state telemarketing rules that are stricter than the
// federal 08:00-21:00: narrower calling hours and a cap on calls per day. A lead's state
// is read from its number's area code, the way these statutes presume a call to one of the
// state's area codes reaches someone in the state. Read-only data; safe from any thread.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/calling_window.h"
#include "domain/contact_caps.h"

namespace leadline::domain {

// Bump when the pack changes, so a history entry that names it says which rules applied.
inline constexpr std::string_view kStateRulesVersion = "2024.1";

struct StateRule {
  std::string code;               // "FL"
  std::string name;               // "Florida"
  CallingWindow hours;            // in the lead's local time
  std::optional<ContactCap> cap;  // source "state:FL"
  std::string law;                // the statute, for people reading the history
  std::string effective;          // "2021-07-01"
  std::string source_url;         // the statute or bill text
};

// All rules, in code order.
const std::vector<StateRule>& state_rules();

// The rule for an E.164 number by its area code (+1 and the NPA), or nullptr: not a
// well-formed +1 number, or an area code of a state without a stricter rule (Canada and the
// other NANP countries share +1 and have none).
const StateRule* state_rule_for(std::string_view e164);

}  // namespace leadline::domain

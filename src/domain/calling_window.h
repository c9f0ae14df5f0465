#pragma once
// The optional calling_window of a VOICE_CALL config: on which days, between which local
// times, and never on which dates calls may be placed. Pure; the engine applies it.
#include <array>
#include <string>
#include <vector>

#include "domain/config_fields.h"
#include "util/json.h"

namespace leadline::domain {

// {"days": ["mon", ...], "start": "HH:MM", "end": "HH:MM", "blackout_dates": ["YYYY-MM-DD"]};
// every key optional. Minutes count from local midnight; days index 0 = Monday.
struct CallingWindow {
  std::array<bool, 7> days{true, true, true, true, true, true, true};
  int start_minute = 0;
  int end_minute = 24 * 60;
  std::vector<std::string> blackout_dates;
};

// Records problems under "config.calling_window...". The caller skips null.
void check_calling_window(const Json& window, ConfigProblems& problems);
// Typed view of a window that passed the check; malformed parts keep their defaults.
CallingWindow parse_calling_window(const Json& window);

}  // namespace leadline::domain

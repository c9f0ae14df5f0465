#pragma once
// Calling windows: on which days, between which local times, and never on which dates a
// lead may be called or texted. Set on the workflow (settings.calling_window) and
// optionally on a VOICE_CALL or SMS node; always read in the lead's own time zone.
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "domain/config_fields.h"
#include "util/json.h"
#include "util/time.h"
#include "util/timezone.h"

namespace leadline::domain {

// {"days": ["mon", ...], "start": "HH:MM", "end": "HH:MM", "blackout_dates": ["YYYY-MM-DD"]};
// every key optional, missing ones take the lawful default of 08:00-21:00 every day.
// Minutes count from local midnight; days index 0 = Monday. An end before the start is a
// window that crosses midnight: it belongs to the day it opens on (a "fri" window of
// 22:00-02:00 runs from Friday 22:00 to Saturday 02:00). No call is ever placed on a
// blackout date, whichever day's window the moment belongs to.
struct CallingWindow {
  std::array<bool, 7> days{true, true, true, true, true, true, true};
  int start_minute = 8 * 60;
  int end_minute = 21 * 60;
  std::vector<util::CivilDate> blackout_dates;

  bool crosses_midnight() const { return end_minute < start_minute; }
  bool contains(const util::LocalTime& local) const;
  // "08:00-21:00 every day", "09:00-17:00 mon-fri", "22:00-02:00 sat, sun (crosses
  // midnight)": for the history.
  std::string describe() const;
};

// Records problems under "config.calling_window...". The caller skips null.
void check_calling_window(const Json& window, ConfigProblems& problems);
// Typed view of a window that passed the check; malformed parts keep their defaults.
CallingWindow parse_calling_window(const Json& window);

// The window that applies to a call or text of a node: the node's `calling_window` when
// the key is there, else the workflow's `settings.calling_window`, else the default.
// nullopt when the one that applies is null (switched off).
std::optional<CallingWindow> effective_calling_window(const Json& node_config,
                                                      const Json& workflow_settings);

// The first instant at or after `now` inside the window in `zone`: `now` itself when it is
// open. nullopt when it does not open within the next 400 days (every day blacked out).
std::optional<util::Millis> next_window_opening(const CallingWindow& window,
                                                const util::TimeZone& zone, util::Millis now);

// The first instant at or after `now` inside both windows (a null one does not limit), read
// in `zone`: a workflow's window intersected with a state's lawful hours. nullopt when they
// share no time within the next 400 days.
std::optional<util::Millis> next_opening_in_both(const CallingWindow* first,
                                                 const CallingWindow* second,
                                                 const util::TimeZone& zone, util::Millis now);

}  // namespace leadline::domain

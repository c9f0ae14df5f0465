#pragma once
// Reads the callback time a lead asked for, as post-call analysis writes it down ("3 PM",
// "tomorrow 4 PM", "next Tuesday 10:30 AM", "evening 7", "9 o'clock", "2026-06-05 16:30",
// "June 5, 2026 4:30 PM", "05/06/2026 16:30", "in 2 hours"), in the lead's time zone.
// Pure apart from the tz database.
//
// Rules, so that every answer is predictable:
// - The result is always after `now`; a time without a date is the next time it comes
//   round, and a named date or time in the past is unreadable.
// - An hour without AM/PM or a part of the day ("9", "9 o'clock", "10:30") is the nearer
//   of its morning and evening times when no day is named, and on a named day 7-11 is
//   morning and 12-6 afternoon. "09:00" (leading zero) and "16:30" are 24-hour times.
// - "Tuesday" is the coming Tuesday (today if the time is still ahead); "next Tuesday" is
//   the first Tuesday after today.
// - "05/06/2026" is day/month unless that is impossible (then month/day).
// - A day without a time means 09:00; "morning" 09:00, "afternoon" 14:00, "evening"
//   18:00, "tonight"/"night" 20:00.
#include <optional>
#include <string_view>

#include "util/time.h"
#include "util/timezone.h"

namespace leadline::domain {

std::optional<util::Millis> parse_callback_time(std::string_view text, util::Millis now,
                                                const util::TimeZone& zone);

}  // namespace leadline::domain

#pragma once
// Contact caps inside other transactions: the organization settings and the earlier calls to
// each number that an engine batch's steps are checked against.
#include <string_view>
#include <vector>

#include "store/sql/driver.h"
#include "store/store.h"

namespace leadline::store::sql {

// Attaches to each claimed lead its organization's settings (one statement per batch; leads
// of one organization share the parsed object).
void attach_org_settings(Connection& conn, std::vector<DueLead>& batch);

// Attaches to each lead for which `lookback` answers a positive window the times of its
// organization's calls to its number within that window before `now`. On PostgreSQL the
// numbers are locked first (in key order, until the batch commits), so a cap is exact across
// processes: a batch that would call one of them waits for the other's commit and counts its
// calls.
void attach_contacts(Connection& conn, std::vector<DueLead>& batch, const ContactLookback& lookback,
                     util::Millis now);

// The times of the organization's calls to `phone` at or after `since` that count against
// contact caps: every call except those that never left Leadline (ended before a provider
// accepted them: do-not-call, cancelled, refused).
std::vector<util::Millis> contact_times(Connection& conn, std::string_view org_id,
                                        std::string_view phone, util::Millis since);

}  // namespace leadline::store::sql

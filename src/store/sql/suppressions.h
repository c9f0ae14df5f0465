#pragma once
// The do-not-call list inside other transactions: the look-ups of the engine's claims and of
// enrolment, and the entries that opt-outs add where calls are recorded (suppressions.cpp
// holds them with the list's own methods).
#include <string_view>
#include <unordered_map>
#include <vector>

#include "domain/suppression.h"
#include "store/sql/driver.h"
#include "store/store.h"

namespace leadline::store::sql {

// Attaches to each claimed lead the entry that stops calls to it at `now`, if any: one
// statement for the whole batch, served by the entries' number key.
void attach_suppressions(Connection& conn, std::vector<DueLead>& batch, util::Millis now);

// The queued calls (ids) to numbers the list stops at `now`: the dispatcher's last check.
std::vector<std::string> suppressed_calls(Connection& conn, const std::vector<QueuedCall>& calls,
                                          util::Millis now);

// The entries that stop calls to the given numbers in `workflow_id` at `now`, by number.
std::unordered_map<std::string, domain::Suppression> suppressions_for(
    Connection& conn, std::string_view org_id, std::string_view workflow_id,
    const std::vector<std::string_view>& phones, util::Millis now);

// Adds the entries (an entry the organization already lists for that number and scope is
// updated instead); answers them as stored.
std::vector<SuppressionAdded> upsert_suppressions(Connection& conn,
                                                  const std::vector<domain::Suppression>& entries);

// Adds the organization-wide entry when the ended call says its lead asked not to be called
// again (the opt-out rule of the call's workflow).
void add_opt_out(Connection& conn, const domain::Call& call, util::Millis now);

}  // namespace leadline::store::sql

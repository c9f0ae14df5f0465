#pragma once
// Look-ups of the do-not-call list made inside other transactions: the engine's claims and
// enrolment (suppressions.cpp holds them with the list's own methods).
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

// The entries that stop calls to the given numbers in `workflow_id` at `now`, by number.
std::unordered_map<std::string, domain::Suppression> suppressions_for(
    Connection& conn, std::string_view org_id, std::string_view workflow_id,
    const std::vector<std::string_view>& phones, util::Millis now);

}  // namespace leadline::store::sql

#pragma once
// The graph's lead counts (table lead_counts, migration 0004): leads per workflow, status,
// current node and class (LeadClass below: how the graph and its blocked counts see a lead);
// node_id is '' for a lead at no node.
//
// Each transaction that moves leads writes the sum of its moves per key with its other
// changes, so /graph reads a few rows instead of scanning the workflow's leads. SQLite's single
// writer adds them to one row per key. PostgreSQL inserts them as new rows, never updating a
// shared one (processes stepping at once would queue on it); readers sum a key's rows, and
// fold_lead_counts now and then replaces them by their sum.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <tuple>

#include "domain/lead.h"
#include "store/sql/driver.h"

namespace leadline::store::sql {

// Active leads are working, waiting (for a delay, or blocked: for calling hours or a contact
// cap) or stalled; leads the do-not-call list or missing consent dropped are told apart for
// the blocked counts (migration 0006); other leads are kOther.
enum LeadClass : int {
  kOther = 0,  // also: active and working (ready, in a call or an action)
  kWaiting = 1,
  kStalled = 2,
  kWaitingForHours = 3,
  kHeldByCap = 4,
  kDroppedSuppressed = 5,
  kDroppedNoConsent = 6,
};

class CountDeltas {
 public:
  // Counts the lead's state once more (sign +1) or once less (-1).
  void add(const domain::Lead& lead, int sign);
  // Writes the non-zero sums.
  void write(Connection& conn) const;

 private:
  using Key =
      std::tuple<std::string, std::string, std::string, int>;  // workflow, status, node, class
  std::map<Key, std::int64_t> sums_;
};

// Recounts a workflow's leads after a statement that moved many at once (a cancel). Run it
// after that statement, in its transaction: on PostgreSQL the statement waited for every batch
// holding one of its leads, so no other uncommitted move of them remains.
void recount_leads(Connection& conn, std::string_view workflow_id);

// Replaces each key's rows by their sum (PostgreSQL; nothing to do on SQLite).
void fold_lead_counts(Connection& conn);

}  // namespace leadline::store::sql

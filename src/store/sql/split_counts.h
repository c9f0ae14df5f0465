#pragma once
// SPLIT nodes' variant counts for /graph (table split_counts, migration 0009): per workflow,
// node and variant, the leads that took it and those of them that reached a CONVERTED node.
//
// Kept by the engine's writes as lead_counts are (see lead_counts.h): SQLite adds to one row
// per key, PostgreSQL inserts each transaction's sums as new rows that readers sum and
// fold_split_counts folds. So /graph reads a few rows, however many leads passed the split.
#include <vector>

#include "domain/lead.h"
#include "store/sql/driver.h"
#include "store/sql/rows.h"
#include "store/store.h"

namespace leadline::store::sql {

// Counts what the history rows just inserted in this transaction (`written`) did: a lead
// passing a split for the first time counts for its variant (a loop back through the split
// takes the same variant and does not count again), and a lead completed at a CONVERTED node
// counts as converted for every variant it took. `leads`: row keys of the leads read.
void count_splits(Connection& conn, const std::vector<domain::HistoryEntry>& written,
                  const RowKeys& leads);

// A SPLIT node's counts, by variant label.
std::vector<DefinitionStore::VariantCount> read_split_counts(Connection& conn,
                                                             std::string_view workflow_id,
                                                             std::string_view node_id);

// Replaces each key's rows by their sum (PostgreSQL; nothing to do on SQLite).
void fold_split_counts(Connection& conn);

}  // namespace leadline::store::sql

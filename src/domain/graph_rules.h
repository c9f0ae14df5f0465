#pragma once
// Whole-graph validation (spec §2.9): the errors that refuse activation and the warnings
// a dashboard shows. Pure; issues come back as values in node creation order.
#include <optional>
#include <string>
#include <vector>

#include "domain/graph.h"
#include "util/json.h"

namespace leadline::domain {

class GraphIndex;

struct ValidationIssue {
  std::string code;  // stable, machine-readable ("missing_outgoing_edge")
  std::string message;
  std::optional<std::string> node_id;
  std::optional<std::string> edge_id;
};

struct ValidationReport {
  std::vector<ValidationIssue> errors;
  std::vector<ValidationIssue> warnings;
  bool valid() const { return errors.empty(); }
};

// Errors: no_nodes, no_entry_node, multiple_entry_nodes, dangling_edge (an edge whose
// end is not a node: only a store bug makes one), invalid_config, missing_outgoing_edge,
// invalid_edge_label, instant_cycle. Warnings: unreachable_node,
// multiple_unlabelled_edges, uncovered_outcomes.
ValidationReport validate_graph(const Graph& graph);
// The same, for a caller that already holds an index (saves copying the graph).
ValidationReport validate_graph(const GraphIndex& index);

// {"valid", "errors": [{"code","message","node_id"?,"edge_id"?}], "warnings": [...]}.
Json to_json(const ValidationReport& report);

}  // namespace leadline::domain

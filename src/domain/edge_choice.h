#pragma once
// Which edge a lead follows when a node finishes (spec §4). Called once per lead step,
// so the span overload allocates nothing and does no lookups.
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "domain/graph.h"

namespace leadline::domain {

// The first edge (in the given, creation order) whose label equals `outcome` ignoring
// case; failing that, for a VOICE_CALL whose outcome is NO_ANSWER, BUSY or VOICEMAIL, the
// first edge labelled DNP; failing that, the first unlabelled edge; else nullptr, and
// the lead stalls (§5.4). `outgoing` holds only edges leaving the finished node, e.g.
// GraphIndex::outgoing(node.id). An empty-string label counts as unlabelled.
const Edge* choose_edge(NodeType from_type, std::string_view outcome,
                        std::span<const Edge* const> outgoing);

// Convenience for callers without an index: filters `edges_in_creation_order` by the
// node's id first.
std::optional<Edge> choose_edge(const Node& from, std::string_view outcome,
                                const std::vector<Edge>& edges_in_creation_order);

// True when the edge carries no label (nullopt or empty).
inline bool is_unlabelled(const Edge& edge) { return !edge.label || edge.label->empty(); }

}  // namespace leadline::domain

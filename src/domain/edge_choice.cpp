#include "domain/edge_choice.h"

#include "domain/outcomes.h"
#include "domain/text.h"

namespace leadline::domain {

const Edge* choose_edge(NodeType from_type, std::string_view outcome,
                        std::span<const Edge* const> outgoing) {
  // One pass remembers the best fallback of each kind, so the common case (a labelled
  // match) and the stall case cost the same single scan.
  const bool dnp_applies = from_type == NodeType::kVoiceCall && is_did_not_pick_up(outcome);
  const Edge* dnp = nullptr;
  const Edge* unlabelled = nullptr;
  for (const Edge* edge : outgoing) {
    if (is_unlabelled(*edge)) {
      if (unlabelled == nullptr) unlabelled = edge;
      continue;
    }
    const std::string& label = *edge->label;
    if (iequals(label, outcome)) return edge;
    if (dnp_applies && dnp == nullptr && iequals(label, kDidNotPickUp)) dnp = edge;
  }
  return dnp != nullptr ? dnp : unlabelled;
}

std::optional<Edge> choose_edge(const Node& from, std::string_view outcome,
                                const std::vector<Edge>& edges_in_creation_order) {
  std::vector<const Edge*> outgoing;
  for (const Edge& edge : edges_in_creation_order) {
    if (edge.from_node_id == from.id) outgoing.push_back(&edge);
  }
  const Edge* chosen = choose_edge(from.type, outcome, outgoing);
  if (chosen == nullptr) return std::nullopt;
  return *chosen;
}

}  // namespace leadline::domain

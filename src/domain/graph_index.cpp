#include "domain/graph_index.h"

namespace leadline::domain {

GraphIndex::GraphIndex(Graph graph) : graph_(std::move(graph)) {
  const std::size_t count = graph_.nodes.size();
  position_.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    // A duplicate id would be a store bug; the first node keeps it.
    position_.try_emplace(graph_.nodes[i].id, i);
  }
  outgoing_.resize(count);
  incoming_.assign(count, 0);
  for (const Edge& edge : graph_.edges) {
    auto from = position_.find(edge.from_node_id);
    auto to = position_.find(edge.to_node_id);
    if (from == position_.end() || to == position_.end()) {
      dangling_.push_back(&edge);
      continue;
    }
    outgoing_[from->second].push_back(&edge);
    ++incoming_[to->second];
  }
  for (std::size_t i = 0; i < count; ++i) {
    if (incoming_[i] == 0) entry_candidates_.push_back(&graph_.nodes[i]);
  }
  if (entry_candidates_.size() == 1) entry_ = entry_candidates_.front();
}

const Node* GraphIndex::node(std::string_view id) const {
  auto it = position_.find(id);
  return it == position_.end() ? nullptr : &graph_.nodes[it->second];
}

std::ptrdiff_t GraphIndex::node_position(std::string_view id) const {
  auto it = position_.find(id);
  return it == position_.end() ? -1 : std::ptrdiff_t(it->second);
}

std::span<const Edge* const> GraphIndex::outgoing(std::string_view id) const {
  auto it = position_.find(id);
  if (it == position_.end()) return {};
  return outgoing_[it->second];
}

std::size_t GraphIndex::incoming_count(std::string_view id) const {
  auto it = position_.find(id);
  return it == position_.end() ? 0 : incoming_[it->second];
}

}  // namespace leadline::domain

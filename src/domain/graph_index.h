#pragma once
// A read-only index over one version of a workflow graph, built once and shared by every
// step of every lead on that version: node lookup by id, outgoing edges per node in
// creation order, and the entry node. Immutable after construction, so safe to read
// from many threads. Movable but not copyable: it hands out pointers into itself.
#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "domain/graph.h"

namespace leadline::domain {

class GraphIndex {
 public:
  explicit GraphIndex(Graph graph);
  GraphIndex(const GraphIndex&) = delete;
  GraphIndex& operator=(const GraphIndex&) = delete;
  GraphIndex(GraphIndex&&) = default;
  GraphIndex& operator=(GraphIndex&&) = default;

  const Graph& graph() const { return graph_; }
  // nullptr when no node has this id.
  const Node* node(std::string_view id) const;
  // Position of the node in creation order, or -1.
  std::ptrdiff_t node_position(std::string_view id) const;
  // The node's outgoing edges in creation order; empty for an unknown id. Edges whose
  // target is not a node of the graph are left out: they can never be followed.
  std::span<const Edge* const> outgoing(std::string_view id) const;
  // How many edges (from existing nodes) point at the node.
  std::size_t incoming_count(std::string_view id) const;
  // The one node without incoming edges; nullptr when there are none or several.
  const Node* entry() const { return entry_; }
  // Every node without incoming edges, in creation order.
  const std::vector<const Node*>& entry_candidates() const { return entry_candidates_; }
  // Edges whose source or target is not a node of the graph, in creation order.
  const std::vector<const Edge*>& dangling_edges() const { return dangling_; }

 private:
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };

  Graph graph_;
  std::unordered_map<std::string, std::size_t, StringHash, std::equal_to<>> position_;
  std::vector<std::vector<const Edge*>> outgoing_;  // by node position
  std::vector<std::size_t> incoming_;               // by node position
  std::vector<const Node*> entry_candidates_;
  std::vector<const Edge*> dangling_;
  const Node* entry_ = nullptr;
};

}  // namespace leadline::domain

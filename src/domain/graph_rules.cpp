#include "domain/graph_rules.h"

#include <algorithm>
#include <cstddef>
#include <string_view>

#include "domain/edge_choice.h"
#include "domain/graph_index.h"
#include "domain/node_config.h"
#include "domain/outcomes.h"
#include "domain/text.h"

namespace leadline::domain {
namespace {

std::string quoted(const Node& node) {
  return "\"" + (node.label.empty() ? default_label(node.type) : node.label) + "\"";
}

// Names at most kMaxNamed nodes so a huge graph cannot produce a megabyte message.
std::string quoted_list(const std::vector<const Node*>& nodes) {
  constexpr std::size_t kMaxNamed = 10;
  std::string out;
  for (std::size_t i = 0; i < nodes.size() && i < kMaxNamed; ++i) {
    if (i > 0) out += ", ";
    out += quoted(*nodes[i]);
  }
  if (nodes.size() > kMaxNamed) out += " and " + std::to_string(nodes.size() - kMaxNamed) + " more";
  return out;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

ValidationIssue issue(std::string code, std::string message, const Node* node = nullptr,
                      const Edge* edge = nullptr) {
  ValidationIssue out{std::move(code), std::move(message), std::nullopt, std::nullopt};
  if (node != nullptr) out.node_id = node->id;
  if (edge != nullptr) out.edge_id = edge->id;
  return out;
}

void check_entry(const GraphIndex& index, ValidationReport& report) {
  const auto& entries = index.entry_candidates();
  if (entries.empty()) {
    report.errors.push_back(issue("no_entry_node",
                                  "the workflow has no entry node: every node has an incoming "
                                  "edge, but exactly one node must have none"));
  } else if (entries.size() > 1) {
    report.errors.push_back(
        issue("multiple_entry_nodes", "the workflow has " + std::to_string(entries.size()) +
                                          " entry nodes (nodes without incoming edges): " +
                                          quoted_list(entries) + "; exactly one is required"));
  }
}

void check_node(const Node& node, const GraphIndex& index, ValidationReport& report) {
  for (const auto& problem : validate_node_config(node.type, node.config)) {
    report.errors.push_back(issue("invalid_config", quoted(node) + ": " + problem, &node));
  }
  auto outgoing = index.outgoing(node.id);
  if (outgoing.empty() && !is_terminal(node.type)) {
    report.errors.push_back(issue(
        "missing_outgoing_edge",
        quoted(node) + " (" + std::string(to_string(node.type)) + ") has no outgoing edge", &node));
  }
  for (const Edge* edge : outgoing) {
    if (is_unlabelled(*edge) || can_emit_label(node, *edge->label)) continue;
    auto outcomes = possible_outcomes(node);
    if (node.type == NodeType::kVoiceCall) outcomes.emplace_back(kDidNotPickUp);
    std::string can = outcomes.empty() ? "it emits no outcome, so only an unlabelled edge works"
                                       : "it can emit only " + join(outcomes);
    report.errors.push_back(issue("invalid_edge_label",
                                  "edge label \"" + *edge->label + "\" out of " + quoted(node) +
                                      " can never be followed: " + can,
                                  &node, edge));
  }
}

// Strongly connected components of the instant (non-waiting, non-terminal) nodes: a
// component with a loop in it would let a lead spin forever within one step.
// Iterative Tarjan, so a long chain of conditionals cannot overflow the stack.
std::vector<std::vector<std::size_t>> instant_cycles(const GraphIndex& index) {
  const auto& nodes = index.graph().nodes;
  const std::size_t n = nodes.size();
  auto is_instant = [&](std::size_t i) {
    return !is_waiting(nodes[i].type) && !is_terminal(nodes[i].type);
  };
  std::vector<std::vector<std::size_t>> next(n);
  std::vector<bool> self_loop(n, false);
  for (std::size_t i = 0; i < n; ++i) {
    if (!is_instant(i)) continue;
    for (const Edge* edge : index.outgoing(nodes[i].id)) {
      auto j = std::size_t(index.node_position(edge->to_node_id));
      if (!is_instant(j)) continue;
      next[i].push_back(j);
      if (j == i) self_loop[i] = true;
    }
  }
  constexpr std::size_t kUnvisited = static_cast<std::size_t>(-1);
  std::vector<std::size_t> order(n, kUnvisited), low(n, 0);
  std::vector<bool> on_stack(n, false);
  std::vector<std::size_t> stack;
  std::vector<std::pair<std::size_t, std::size_t>> frames;  // (node, next child slot)
  std::vector<std::vector<std::size_t>> cycles;
  std::size_t counter = 0;
  for (std::size_t root = 0; root < n; ++root) {
    if (!is_instant(root) || order[root] != kUnvisited) continue;
    frames.emplace_back(root, 0);
    order[root] = low[root] = counter++;
    stack.push_back(root);
    on_stack[root] = true;
    while (!frames.empty()) {
      auto& [v, slot] = frames.back();
      if (slot < next[v].size()) {
        std::size_t w = next[v][slot++];
        if (order[w] == kUnvisited) {
          order[w] = low[w] = counter++;
          stack.push_back(w);
          on_stack[w] = true;
          frames.emplace_back(w, 0);
        } else if (on_stack[w]) {
          low[v] = std::min(low[v], order[w]);
        }
        continue;
      }
      const std::size_t done = v;
      frames.pop_back();
      if (!frames.empty()) {
        std::size_t parent = frames.back().first;
        low[parent] = std::min(low[parent], low[done]);
      }
      if (low[done] != order[done]) continue;
      std::vector<std::size_t> component;
      std::size_t w;
      do {
        w = stack.back();
        stack.pop_back();
        on_stack[w] = false;
        component.push_back(w);
      } while (w != done);
      if (component.size() > 1 || self_loop[done]) {
        std::sort(component.begin(), component.end());
        cycles.push_back(std::move(component));
      }
    }
  }
  std::sort(cycles.begin(), cycles.end());
  return cycles;
}

void check_instant_cycles(const GraphIndex& index, ValidationReport& report) {
  const auto& nodes = index.graph().nodes;
  for (const auto& cycle : instant_cycles(index)) {
    std::vector<const Node*> members;
    for (std::size_t i : cycle) members.push_back(&nodes[i]);
    report.errors.push_back(issue("instant_cycle",
                                  "nodes " + quoted_list(members) +
                                      " form a loop with no waiting node (VOICE_CALL, TIME, "
                                      "WEBHOOK, SMS or APPLICATION): a lead would loop forever",
                                  members.front()));
  }
}

std::vector<bool> reachable_from_entry(const GraphIndex& index) {
  const auto& nodes = index.graph().nodes;
  std::vector<bool> seen(nodes.size(), false);
  if (index.entry() == nullptr) return seen;
  std::vector<std::size_t> todo{std::size_t(index.node_position(index.entry()->id))};
  seen[todo.front()] = true;
  while (!todo.empty()) {
    const Node& node = nodes[todo.back()];
    todo.pop_back();
    if (is_terminal(node.type)) continue;  // a lead never leaves a terminal
    for (const Edge* edge : index.outgoing(node.id)) {
      auto j = std::size_t(index.node_position(edge->to_node_id));
      if (!seen[j]) {
        seen[j] = true;
        todo.push_back(j);
      }
    }
  }
  return seen;
}

void check_coverage(const Node& node, const GraphIndex& index, ValidationReport& report) {
  if (node.type != NodeType::kVoiceCall && node.type != NodeType::kConditional &&
      node.type != NodeType::kWaitForEvent && node.type != NodeType::kSplit)
    return;
  auto outgoing = index.outgoing(node.id);
  std::vector<std::string> uncovered;
  for (const auto& outcome : possible_outcomes(node)) {
    // choose_edge is the rule leads follow, so coverage asks it directly.
    if (choose_edge(node.type, outcome, outgoing) == nullptr) uncovered.push_back(outcome);
  }
  if (uncovered.empty()) return;
  report.warnings.push_back(issue("uncovered_outcomes",
                                  quoted(node) + " has no edge for " + join(uncovered) +
                                      " and no unlabelled edge: leads with " +
                                      (uncovered.size() == 1 ? "that outcome" : "those outcomes") +
                                      " would stall",
                                  &node));
}

}  // namespace

ValidationReport validate_graph(const Graph& graph) { return validate_graph(GraphIndex(graph)); }

ValidationReport validate_graph(const GraphIndex& index) {
  ValidationReport report;
  if (index.graph().nodes.empty()) {
    report.errors.push_back(issue("no_nodes", "the workflow has no nodes"));
    return report;
  }
  check_entry(index, report);
  for (const Edge* edge : index.dangling_edges()) {
    report.errors.push_back(issue("dangling_edge",
                                  "edge " + edge->id + " connects a node that does not exist",
                                  nullptr, edge));
  }
  for (const Node& node : index.graph().nodes) check_node(node, index, report);
  check_instant_cycles(index, report);

  const auto reachable = reachable_from_entry(index);
  const bool know_reachability = index.entry() != nullptr;
  const auto& nodes = index.graph().nodes;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const Node& node = nodes[i];
    if (know_reachability && !reachable[i]) {
      report.warnings.push_back(issue(
          "unreachable_node", quoted(node) + " cannot be reached from the entry node", &node));
    }
    auto outgoing = index.outgoing(node.id);
    auto unlabelled = std::count_if(outgoing.begin(), outgoing.end(),
                                    [](const Edge* edge) { return is_unlabelled(*edge); });
    if (unlabelled > 1) {
      report.warnings.push_back(issue("multiple_unlabelled_edges",
                                      quoted(node) + " has " + std::to_string(unlabelled) +
                                          " unlabelled edges; only the first created is used",
                                      &node));
    }
    check_coverage(node, index, report);
  }
  return report;
}

Json to_json(const ValidationReport& report) {
  auto render = [](const std::vector<ValidationIssue>& issues) {
    Json out = Json::array();
    for (const auto& item : issues) {
      Json entry = {{"code", item.code}, {"message", item.message}};
      if (item.node_id) entry["node_id"] = *item.node_id;
      if (item.edge_id) entry["edge_id"] = *item.edge_id;
      out.push_back(std::move(entry));
    }
    return out;
  };
  return Json{{"valid", report.valid()},
              {"errors", render(report.errors)},
              {"warnings", render(report.warnings)}};
}

}  // namespace leadline::domain

#pragma once
// The outcomes each node type can finish with (spec §3.2), which edge labels may name.
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "domain/graph.h"

namespace leadline::domain {

// A VOICE_CALL node's outcomes, in the spec's order.
inline constexpr std::array<std::string_view, 5> kCallOutcomes{"COMPLETED", "NO_ANSWER", "BUSY",
                                                               "VOICEMAIL", "FAILED"};
// The label that catches NO_ANSWER, BUSY and VOICEMAIL of a VOICE_CALL ("did not pick up").
inline constexpr std::string_view kDidNotPickUp = "DNP";
// The outcome of a CONDITIONAL branch-form node whose value matches no branch.
inline constexpr std::string_view kDefaultBranch = "default";

// True for NO_ANSWER, BUSY and VOICEMAIL (any case): the outcomes a DNP edge catches.
bool is_did_not_pick_up(std::string_view outcome);

// VOICE_CALL: the five call outcomes; TIME: none (it follows its unlabelled edge);
// CONDITIONAL: "true"/"false", or its branches then "default"; APPLICATION, WEBHOOK,
// SMS: "success"/"failure"; WAIT_FOR_EVENT: its event types then "timeout"; SPLIT: its
// variant labels; terminals: none.
std::vector<std::string> possible_outcomes(const Node& node);

// Whether an edge labelled `label` out of `node` can ever be followed: one of its
// outcomes (case-insensitive), or DNP out of a VOICE_CALL.
bool can_emit_label(const Node& node, std::string_view label);

}  // namespace leadline::domain

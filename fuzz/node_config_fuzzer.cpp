// Node bodies (POST/PATCH /v1/workflows/{id}/nodes): the config the route hands to
// validate_node_config, checked as every node type, then the typed views and the calling
// window the engine reads from a config that passed.
#include <array>

#include "domain/calling_window.h"
#include "domain/flow_nodes.h"
#include "domain/node_config.h"
#include "fuzz_support.h"

namespace {
using namespace leadline;
using domain::NodeType;

constexpr std::array kTypes{NodeType::kVoiceCall,   NodeType::kTime,    NodeType::kConditional,
                            NodeType::kApplication, NodeType::kWebhook, NodeType::kSms,
                            NodeType::kConverted,   NodeType::kDropped, NodeType::kWaitForEvent,
                            NodeType::kSplit};

// 2026-05-26T13:00:00Z.
constexpr util::Millis kNow = 1779800400000;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto config = fuzz::json_of(fuzz::as_text(data, size));
  if (!config) return 0;
  (void)domain::uses_branch_form(*config);
  for (const NodeType type : kTypes) {
    const auto problems = domain::validate_node_config(type, *config);
    for (const auto& message : problems) (void)Json(message).dump();  // sent back as JSON
    if (!problems.empty()) continue;
    switch (type) {
      case NodeType::kVoiceCall: {
        const auto voice = domain::parse_voice_call_config(*config);
        if (voice.max_attempts < 1) fuzz::fail("max_attempts below 1");
        [[fallthrough]];
      }
      case NodeType::kSms:
        if (auto window = domain::effective_calling_window(*config, Json::object())) {
          (void)window->describe();
          (void)domain::next_window_opening(*window, util::TimeZone::utc(), kNow);
        }
        break;
      case NodeType::kTime: {
        const auto time = domain::parse_time_config(*config);
        if (time.fixed_delay_ms && *time.fixed_delay_ms < 0) fuzz::fail("negative TIME delay");
        break;
      }
      case NodeType::kWaitForEvent: {
        const auto wait = domain::parse_wait_for_event_config(*config);
        if (wait.event_types.empty() || wait.timeout_ms <= 0 ||
            wait.timeout_ms > 366LL * 24 * 3600 * 1000)
          fuzz::fail("a valid WAIT_FOR_EVENT without types or with a timeout out of range");
        break;
      }
      case NodeType::kSplit: {
        const auto split = domain::parse_split_config(*config);
        const auto* variant = domain::pick_variant(split, "lead_fuzz", "node_fuzz");
        if (split.variants.size() < 2 || variant == nullptr)
          fuzz::fail("a valid SPLIT that picks no variant");
        break;
      }
      default:
        break;
    }
  }
  return 0;
}

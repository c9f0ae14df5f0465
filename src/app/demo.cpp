#include "app/demo.h"

#include <map>
#include <sstream>

#include "util/ids.h"

namespace leadline::app {
namespace {
using domain::NodeType;

struct NodeSpec {
  std::string key;
  NodeType type;
  std::string label;
  Json config = Json::object();
};
struct EdgeSpec {
  std::string from, to;
  std::optional<std::string> label;
};
struct GraphSpec {
  std::string title;
  std::string description;
  std::vector<NodeSpec> nodes;
  std::vector<EdgeSpec> edges;
  std::vector<std::pair<std::string, std::string>> lead_profiles;  // sim_outcomes, sim_analysis
};

Json call(const std::string& agent, Json extra = Json::object()) {
  Json c = {{"agent_id", agent}, {"from_phone_number", "+14155550100"}};
  for (auto& [k, v] : extra.items()) c[k] = v;
  return c;
}

// (a) call; wait two days; call again if nobody answered; after three attempts, unresponsive.
GraphSpec nurture() {
  return {"Demo: three tries over a week",
          "Calls, waits two days after each unanswered call, and marks the lead unresponsive "
          "after the third.",
          {{"call1", NodeType::kVoiceCall, "First call", call("agt_nurture")},
           {"wait1", NodeType::kTime, "Wait 2 days", {{"delay_days", 2}}},
           {"call2", NodeType::kVoiceCall, "Second call", call("agt_nurture")},
           {"wait2", NodeType::kTime, "Wait 2 more days", {{"delay_days", 2}}},
           {"call3", NodeType::kVoiceCall, "Third call", call("agt_nurture")},
           {"won", NodeType::kConverted, "Reached"},
           {"gone", NodeType::kDropped, "Unresponsive"}},
          {{"call1", "won", "COMPLETED"},
           {"call1", "wait1", "DNP"},
           {"call1", "gone", std::nullopt},
           {"wait1", "call2", std::nullopt},
           {"call2", "won", "COMPLETED"},
           {"call2", "wait2", "DNP"},
           {"call2", "gone", std::nullopt},
           {"wait2", "call3", std::nullopt},
           {"call3", "won", "COMPLETED"},
           {"call3", "gone", std::nullopt}},
          {{"COMPLETED", ""},
           {"NO_ANSWER,COMPLETED", ""},
           {"BUSY,VOICEMAIL,COMPLETED", ""},
           {"NO_ANSWER", ""},
           {"FAILED", ""}}};
}

// (b) try twice, then route to a different agent script.
GraphSpec second_script() {
  return {"Demo: two tries, then another script",
          "Two attempts an hour apart with the standard agent, then one with a different script.",
          {{"first", NodeType::kVoiceCall, "Standard script (2 tries)",
            call("agt_standard", {{"max_attempts", 2}, {"retry_delay_minutes", 60}})},
           {"second", NodeType::kVoiceCall, "Alternate script", call("agt_alternate")},
           {"won", NodeType::kConverted, "Converted"},
           {"gone", NodeType::kDropped, "Closed"}},
          {{"first", "won", "COMPLETED"},
           {"first", "second", std::nullopt},
           {"second", "won", "COMPLETED"},
           {"second", "gone", std::nullopt}},
          {{"COMPLETED", ""},
           {"NO_ANSWER,COMPLETED", ""},
           {"NO_ANSWER,BUSY,COMPLETED", ""},
           {"NO_ANSWER", ""}}};
}

// (c) after the first call, interested leads go to a booking agent; the others are closed.
GraphSpec booking() {
  return {"Demo: interested leads to booking",
          "After the first call, leads who said they are interested get a booking call.",
          {{"intro", NodeType::kVoiceCall, "Intro call", call("agt_intro")},
           {"interested",
            NodeType::kConditional,
            "Interested?",
            {{"logic", "AND"},
             {"conditions",
              {{{"field", "postcall_analysis.interested"},
                {"operator", "equals"},
                {"value", "yes"}}}}}},
           {"book", NodeType::kVoiceCall, "Booking agent", call("agt_booking")},
           {"booked", NodeType::kConverted, "Meeting booked"},
           {"not_interested", NodeType::kDropped, "Not interested"},
           {"no_contact", NodeType::kDropped, "No contact"}},
          {{"intro", "interested", "COMPLETED"},
           {"intro", "no_contact", std::nullopt},
           {"interested", "book", "true"},
           {"interested", "not_interested", "false"},
           {"book", "booked", "COMPLETED"},
           {"book", "no_contact", std::nullopt}},
          {{"COMPLETED", "interested=yes"},
           {"COMPLETED", "interested=no"},
           {"COMPLETED,NO_ANSWER", "interested=yes"},
           {"NO_ANSWER", ""}}};
}

DemoWorkflow build(store::Store& store, const std::string& org_id, const GraphSpec& spec, int leads,
                   util::Millis now) {
  domain::Workflow w;
  w.id = util::new_id("wf");
  w.org_id = org_id;
  w.title = spec.title;
  w.description = spec.description;
  w.created_at = w.updated_at = now;
  store.insert_workflow(w);
  std::map<std::string, std::string> ids;
  double y = 0;
  for (const auto& n : spec.nodes) {
    domain::Node node;
    node.id = util::new_id("node");
    node.workflow_id = w.id;
    node.type = n.type;
    node.label = n.label;
    node.config = n.config;
    node.position_y = y += 120;
    node.created_at = node.updated_at = now;
    store.insert_node(node, now);
    ids[n.key] = node.id;
  }
  for (const auto& e : spec.edges)
    store.insert_edge({util::new_id("edge"), w.id, ids.at(e.from), ids.at(e.to), e.label, now},
                      now);
  std::vector<domain::Lead> batch;
  for (int i = 0; i < leads; ++i) {
    const auto& [outcomes, analysis] = spec.lead_profiles[i % spec.lead_profiles.size()];
    domain::Lead lead;
    lead.id = util::new_id("wlead");
    lead.org_id = org_id;
    lead.workflow_id = w.id;
    lead.phone_number = "+1415555" + std::to_string(1000000 + i).substr(1);
    lead.variables = {{"name", "Demo lead " + std::to_string(i + 1)}, {"sim_outcomes", outcomes}};
    if (!analysis.empty()) lead.variables["sim_analysis"] = analysis;
    lead.next_action_at = now;
    lead.enrolled_at = lead.created_at = lead.updated_at = now;
    batch.push_back(std::move(lead));
  }
  store.enroll_leads(w, batch, false, now);
  store.transition_workflow(org_id, w.id, domain::WorkflowStatus::kDraft,
                            domain::LifecycleAction::kActivate, domain::WorkflowStatus::kActive,
                            now);
  return {w.id, w.title};
}
}  // namespace

std::vector<DemoWorkflow> create_demo_workflows(store::Store& store, const std::string& org_id,
                                                int leads_per_workflow, util::Millis now) {
  return {build(store, org_id, nurture(), leads_per_workflow, now),
          build(store, org_id, second_script(), leads_per_workflow, now),
          build(store, org_id, booking(), leads_per_workflow, now)};
}

std::string funnel_table(store::Store& store, const DemoWorkflow& workflow) {
  std::map<std::string, std::int64_t> visits, here;
  for (const auto& [node, n] : store.visits_by_node(workflow.id)) visits[node] = n;
  for (const auto& [node, c] : store.lead_counts_by_node(workflow.id))
    here[node] = c.active + c.waiting;
  std::ostringstream out;
  out << workflow.title << "\n";
  char line[160];
  std::snprintf(line, sizeof line, "  %-28s %-12s %8s %8s\n", "node", "type", "reached", "now");
  out << line;
  for (const auto& node : store.load_graph(workflow.id).nodes) {
    std::snprintf(line, sizeof line, "  %-28s %-12s %8lld %8lld\n", node.label.c_str(),
                  std::string(to_string(node.type)).c_str(),
                  static_cast<long long>(visits[node.id]), static_cast<long long>(here[node.id]));
    out << line;
  }
  out << "  leads:";
  for (const auto& [status, n] : store.lead_counts_by_status(workflow.id))
    out << " " << status << "=" << n;
  out << "\n";
  return out.str();
}

}  // namespace leadline::app

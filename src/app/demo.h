#pragma once
// The three example workflows of the mission, built through the store, with simulated leads
// whose sim_outcomes make every path of each graph happen. `leadline demo` runs them at a
// high time scale; engine tests run them on a manual clock.
#include <string>
#include <vector>

#include "store/store.h"

namespace leadline::app {

struct DemoWorkflow {
  std::string id;
  std::string title;
};

// Creates and activates the three workflows in the organization and enrolls
// `leads_per_workflow` simulated leads into each.
std::vector<DemoWorkflow> create_demo_workflows(store::Store& store, const std::string& org_id,
                                                int leads_per_workflow, util::Millis now);

// The per-node funnel of a workflow as a text table: each node with how many leads reached
// it and how many stand on it now, then the lead statuses.
std::string funnel_table(store::Store& store, const DemoWorkflow& workflow);

}  // namespace leadline::app

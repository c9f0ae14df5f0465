#pragma once
// Backend-neutral pieces of the webhook outbox: which active webhooks subscribe to what, and
// the per-organization event masks the engine's steps are given. No SQL.
#include <string>
#include <string_view>
#include <vector>

#include "domain/event.h"
#include "store/store.h"

namespace leadline::store {

// An active webhook, as the outbox needs it when events are written.
struct Subscriber {
  std::string webhook_id;
  std::string org_id;
  domain::EventMask mask = 0;
};

// The union of the masks of the organization's subscribers.
domain::EventMask org_mask(const std::vector<Subscriber>& subscribers, std::string_view org_id);
// Sets DueLead::webhook_events of every lead of the batch.
void set_event_masks(std::vector<DueLead>& batch, const std::vector<Subscriber>& subscribers);
// The webhooks an event goes to (empty: nobody subscribes, write nothing).
std::vector<const Subscriber*> subscribers_of(const domain::Event& event,
                                              const std::vector<Subscriber>& subscribers);
// The mask of a list of event type names (unknown names are ignored).
domain::EventMask event_mask(const std::vector<std::string>& names);
// JSON text of a list of names, and back (a malformed text reads as no names).
std::string names_to_text(const std::vector<std::string>& names);
std::vector<std::string> names_from_text(const std::string& text);

}  // namespace leadline::store

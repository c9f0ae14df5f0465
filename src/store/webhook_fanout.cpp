#include "store/webhook_fanout.h"

namespace leadline::store {

domain::EventMask org_mask(const std::vector<Subscriber>& subscribers, std::string_view org_id) {
  domain::EventMask mask = 0;
  for (const auto& s : subscribers)
    if (s.org_id == org_id) mask |= s.mask;
  return mask;
}

void set_event_masks(std::vector<DueLead>& batch, const std::vector<Subscriber>& subscribers) {
  if (subscribers.empty()) return;
  for (auto& due : batch) due.webhook_events = org_mask(subscribers, due.lead.org_id);
}

std::vector<const Subscriber*> subscribers_of(const domain::Event& event,
                                              const std::vector<Subscriber>& subscribers) {
  std::vector<const Subscriber*> out;
  const auto bit = domain::event_bit(event.type);
  for (const auto& s : subscribers)
    if ((s.mask & bit) && s.org_id == event.org_id) out.push_back(&s);
  return out;
}

domain::EventMask event_mask(const std::vector<std::string>& names) {
  domain::EventMask mask = 0;
  for (const auto& name : names)
    if (auto type = domain::event_type_from_string(name)) mask |= domain::event_bit(*type);
  return mask;
}

std::string names_to_text(const std::vector<std::string>& names) { return Json(names).dump(); }

std::vector<std::string> names_from_text(const std::string& text) {
  std::vector<std::string> names;
  const Json parsed = Json::parse(text, nullptr, false);
  if (parsed.is_array())
    for (const auto& item : parsed)
      if (item.is_string()) names.push_back(item.get<std::string>());
  return names;
}

}  // namespace leadline::store

// Contact caps: what an engine batch reads so its steps can tell whether a cap has room for a
// call, and what the eligibility answer reads for one number.
#include "store/sql/contacts.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>

#include "store/sql/column_arrays.h"

namespace leadline::store::sql {
namespace {
const SqlText kOrgSettings([](const Dialect& d) {
  return "SELECT id, settings FROM organizations WHERE id IN (" + d.json_strings("?") + ")";
});

// Calls that never left Leadline (the dispatcher ended them before a provider accepted them)
// reached nobody and do not count.
// (The end reason is read only for those, from their result.)
constexpr std::string_view kCounted =
    "NOT (c.status = 'failed' AND c.dispatched_at IS NULL AND "
    "(c.dispatch_error IS NOT NULL OR EXISTS (SELECT 1 FROM call_results r "
    "WHERE r.call_seq = c.seq AND r.end_reason IN ('suppressed', 'cancelled'))))";

// Served by calls_number (to_phone_number, created_at): a range per number.
const SqlText kContactsOfNumbers([](const Dialect& d) {
  return d.select_where_in("c.to_phone_number, c.org_id, c.created_at", "calls", "c",
                           "c.to_phone_number", "c.created_at >= ? AND " + std::string(kCounted));
});
const std::string kContactsOfNumber =
    "SELECT c.created_at FROM calls c WHERE c.to_phone_number = ? AND c.org_id = ? "
    "AND c.created_at >= ? AND " +
    std::string(kCounted) + " ORDER BY c.created_at";

// PostgreSQL only (see migrations/postgres/0006_contact_caps.sql): the first statement makes
// sure each (number, organization) has its row, the second locks the rows in key order, so
// two batches that share numbers lock them in the same order and never deadlock.
// The numbers and organizations go as two arrays (column_arrays.h).
constexpr std::string_view kEnsureNumberRows =
    "INSERT INTO contact_numbers (phone_number, org_id) "
    "SELECT x.p, x.o FROM unnest(?::text[], ?::text[]) AS x(p, o) ORDER BY 1, 2 "
    "ON CONFLICT DO NOTHING";
// (A LATERAL probe per number, for the reason given at Dialect::select_where_in.)
constexpr std::string_view kLockNumberRows =
    "SELECT 1 FROM unnest(?::text[], ?::text[]) AS x(p, o) CROSS JOIN LATERAL ("
    "SELECT n.phone_number, n.org_id FROM contact_numbers n "
    "WHERE n.phone_number = x.p AND n.org_id = x.o) n "
    "ORDER BY n.phone_number, n.org_id FOR UPDATE OF n";

void lock_numbers(Connection& conn, const std::set<std::pair<std::string, std::string>>& numbers) {
  ColumnArrays arrays(2);
  for (const auto& [phone, org] : numbers) {
    arrays.add(phone).add(org);
    arrays.end_row();
  }
  auto ensure = conn.prepare(kEnsureNumberRows);
  arrays.bind(ensure).exec();
  auto lock = conn.prepare(kLockNumberRows);
  arrays.bind(lock);
  while (lock.step()) {
  }
}
}  // namespace

void attach_org_settings(Connection& conn, std::vector<DueLead>& batch) {
  std::set<std::string_view> ids;
  for (const auto& due : batch) ids.insert(due.lead.org_id);
  Json list = Json::array();
  for (auto id : ids) list.push_back(id);
  std::unordered_map<std::string, std::shared_ptr<const Json>> settings;
  auto s = conn.prepare(kOrgSettings(conn.dialect())).bind(1, list.dump());
  while (s.step()) {
    Json parsed = Json::parse(s.text(1), nullptr, false);
    if (!parsed.is_object()) parsed = Json::object();
    settings.emplace(s.text(0), std::make_shared<const Json>(std::move(parsed)));
  }
  for (auto& due : batch)
    if (auto it = settings.find(due.lead.org_id); it != settings.end())
      due.org_settings = it->second;
}

void attach_contacts(Connection& conn, std::vector<DueLead>& batch, const ContactLookback& lookback,
                     util::Millis now) {
  if (!lookback) return;
  util::Millis longest = 0;
  std::set<std::pair<std::string, std::string>> numbers;  // (phone, org), in key order
  for (const auto& due : batch) {
    const util::Millis window = lookback(due);
    if (window <= 0) continue;
    longest = std::max(longest, window);
    numbers.emplace(due.lead.phone_number, due.lead.org_id);
  }
  if (numbers.empty()) return;
  if (conn.dialect().postgres()) lock_numbers(conn, numbers);
  std::set<std::string_view> distinct;  // a number may be in several organizations
  for (const auto& number : numbers) distinct.insert(number.first);
  Json phones = Json::array();
  for (auto phone : distinct) phones.push_back(phone);
  std::map<std::pair<std::string, std::string>, std::vector<util::Millis>> found;
  auto s = conn.prepare(kContactsOfNumbers(conn.dialect()))
               .bind(1, phones.dump())
               .bind(2, now - longest);
  while (s.step()) found[{s.text(0), s.text(1)}].push_back(s.integer(2));
  for (auto& due : batch) {
    if (!numbers.contains({due.lead.phone_number, due.lead.org_id})) continue;
    due.contacts_read = true;
    if (auto it = found.find({due.lead.phone_number, due.lead.org_id}); it != found.end())
      due.contacts = it->second;
  }
}

std::vector<util::Millis> contact_times(Connection& conn, std::string_view org_id,
                                        std::string_view phone, util::Millis since) {
  std::vector<util::Millis> times;
  auto s = conn.prepare(kContactsOfNumber).bind(1, phone).bind(2, org_id).bind(3, since);
  while (s.step()) times.push_back(s.integer(0));
  return times;
}

}  // namespace leadline::store::sql

// An organization's record and settings, and the calls its contact caps count.
#include "store/sql/contacts.h"
#include "store/sql/sql_store.h"

namespace leadline::store::sql {
namespace {
constexpr std::string_view kFind =
    "SELECT id, name, created_at, settings, updated_at FROM organizations WHERE id = ?";
const SqlText kLockForUpdate([](const Dialect& d) {
  return "SELECT 1 FROM organizations WHERE id = ?" + std::string(d.for_update());
});
constexpr std::string_view kNameTaken = "SELECT 1 FROM organizations WHERE name = ? AND id <> ?";
constexpr std::string_view kSetName = "UPDATE organizations SET name = ? WHERE id = ?";
constexpr std::string_view kSetSettings = "UPDATE organizations SET settings = ? WHERE id = ?";
constexpr std::string_view kTouch = "UPDATE organizations SET updated_at = ? WHERE id = ?";
// New caps, state rules or time zones apply to the leads already waiting for them.
constexpr std::string_view kWakeWaiting =
    "UPDATE lead_states SET next_action_at = ? WHERE lead_seq IN (SELECT l.seq FROM leads l "
    "JOIN workflows w ON w.id = l.workflow_id WHERE w.org_id = ?) AND status = 'active' "
    "AND wait_kind IN ('window', 'contact_cap')";

Organization read_organization(const Statement& s) {
  Organization org;
  org.id = s.text(0);
  org.name = s.text(1);
  org.created_at = s.integer(2);
  org.settings = Json::parse(s.text(3), nullptr, false);
  if (!org.settings.is_object()) org.settings = Json::object();
  org.updated_at = s.opt_integer(4);
  return org;
}

std::optional<Organization> find_in(Connection& conn, std::string_view org_id) {
  auto s = conn.prepare(kFind).bind(1, org_id);
  if (!s.step()) return std::nullopt;
  return read_organization(s);
}
}  // namespace

std::optional<Organization> SqlStore::find_organization(std::string_view org_id) {
  auto conn = pool_.acquire();
  return find_in(*conn, org_id);
}

std::optional<Organization> SqlStore::update_organization(std::string_view org_id,
                                                          const OrganizationPatch& patch,
                                                          util::Millis now) {
  auto conn = pool_.acquire();
  return in_transaction(*conn, [&]() -> std::optional<Organization> {
    if (!conn->prepare(kLockForUpdate(conn->dialect())).bind(1, org_id).step()) return std::nullopt;
    if (patch.name) {
      if (conn->prepare(kNameTaken).bind(1, *patch.name).bind(2, org_id).step())
        throw ConflictError("Another organization is named \"" + *patch.name + "\"");
      conn->prepare(kSetName).bind(1, *patch.name).bind(2, org_id).exec();
    }
    if (patch.settings_changes) {
      Json settings = find_in(*conn, org_id)->settings;
      for (const auto& [key, value] : patch.settings_changes->items()) {
        if (value.is_null())
          settings.erase(key);
        else
          settings[key] = value;
      }
      conn->prepare(kSetSettings).bind(1, settings.dump()).bind(2, org_id).exec();
      conn->prepare(kWakeWaiting).bind(1, now).bind(2, org_id).exec();
    }
    conn->prepare(kTouch).bind(1, now).bind(2, org_id).exec();
    return find_in(*conn, org_id);
  });
}

std::vector<util::Millis> SqlStore::contact_times(std::string_view org_id, std::string_view phone,
                                                  util::Millis since) {
  auto conn = pool_.acquire();
  return sql::contact_times(*conn, org_id, phone, since);
}

}  // namespace leadline::store::sql

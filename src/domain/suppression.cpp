#include "domain/suppression.h"

#include <algorithm>

#include "util/ids.h"

namespace leadline::domain {

std::string_view to_string(SuppressionSource source) {
  switch (source) {
    case SuppressionSource::kApi:
      return "api";
    case SuppressionSource::kUpload:
      return "upload";
    case SuppressionSource::kOptOut:
      return "opt_out";
  }
  return "api";
}

bool suppresses(const Suppression& entry, std::string_view org_id, std::string_view workflow_id,
                std::string_view phone, util::Millis now) {
  return entry.org_id == org_id && entry.phone_number == phone &&
         (!entry.workflow_id || *entry.workflow_id == workflow_id) &&
         (!entry.expires_at || *entry.expires_at > now);
}

bool suppresses(const Suppression& entry, const Lead& lead, util::Millis now) {
  return suppresses(entry, lead.org_id, lead.workflow_id, lead.phone_number, now);
}

std::string suppression_reason(const Suppression& entry) {
  std::string text = "the number is on the do-not-call list (entry " + entry.id;
  if (entry.reason && !entry.reason->empty()) text += ", reason \"" + *entry.reason + "\"";
  if (entry.workflow_id) text += ", for this workflow only";
  return text + ")";
}

namespace {
std::string lowered(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool is_text_list(const Json& value) {
  if (!value.is_array()) return false;
  return std::all_of(value.begin(), value.end(),
                     [](const Json& v) { return v.is_string() && !v.get<std::string>().empty(); });
}

std::vector<std::string> lowered_list(const Json& value) {
  std::vector<std::string> out;
  for (const auto& v : value) out.push_back(lowered(v.get<std::string>()));
  return out;
}
}  // namespace

OptOutRule opt_out_rule(const Json& workflow_settings) {
  OptOutRule rule;
  auto it = workflow_settings.find("opt_out");
  if (it == workflow_settings.end() || it->is_null()) return rule;
  if (it->is_boolean()) {
    rule.enabled = it->get<bool>();
    return rule;
  }
  if (!it->is_object()) return rule;
  if (auto f = it->find("field"); f != it->end() && f->is_string()) rule.field = *f;
  if (auto v = it->find("values"); v != it->end() && is_text_list(*v))
    rule.values = lowered_list(*v);
  if (auto r = it->find("end_reasons"); r != it->end() && is_text_list(*r))
    rule.end_reasons = lowered_list(*r);
  return rule;
}

void check_opt_out(const Json& value, ConfigProblems& problems) {
  if (value.is_null() || value.is_boolean()) return;
  if (!value.is_object()) {
    problems.add("opt_out", "must be true, false, null or an object {field, values, end_reasons}");
    return;
  }
  for (const auto& [key, item] : value.items()) {
    if (key == "field") {
      if (!item.is_string() || item.get<std::string>().empty())
        problems.add("opt_out.field", "must be the name of a post-call analysis field");
    } else if (key == "values" || key == "end_reasons") {
      if (!is_text_list(item)) problems.add("opt_out." + key, "must be a list of non-empty texts");
    } else {
      problems.add("opt_out." + key, "is not a setting (field, values, end_reasons)");
    }
  }
}

bool asked_not_to_be_called(const OptOutRule& rule, const Json& postcall_analysis,
                            const std::optional<std::string>& end_reason) {
  if (!rule.enabled) return false;
  auto in = [](const std::vector<std::string>& list, const std::string& text) {
    return std::find(list.begin(), list.end(), lowered(text)) != list.end();
  };
  if (end_reason && in(rule.end_reasons, *end_reason)) return true;
  if (!postcall_analysis.is_object()) return false;
  auto it = postcall_analysis.find(rule.field);
  if (it == postcall_analysis.end()) return false;
  if (it->is_boolean()) return it->get<bool>();
  return it->is_string() && in(rule.values, it->get<std::string>());
}

Suppression opt_out_entry(const Call& call, util::Millis now) {
  Suppression entry;
  entry.id = util::new_id("sup");
  entry.org_id = call.org_id;
  entry.phone_number = call.to_phone_number;
  entry.reason = "asked not to be called again, in call " + call.id;
  entry.source = SuppressionSource::kOptOut;
  entry.created_at = entry.updated_at = now;
  return entry;
}

}  // namespace leadline::domain

#include "domain/state_rules.h"

#include <array>
#include <utility>

namespace leadline::domain {
namespace {

struct RuleRow {
  std::string_view code;
  std::string_view name;
  int start_minute;
  int end_minute;
  int cap_calls;  // 0: no cap
  int cap_hours;
  std::string_view law;
  std::string_view effective;
  std::string_view source_url;
  std::string_view area_codes;  // every NPA of the state, overlays included, space-separated
};

// Rule pack version 2024.1 (kStateRulesVersion). The statutes' wording: no calls before
// 8 a.m. or after 8 p.m. in the called party's time zone, and at most three calls in 24
// hours from the same caller on the same subject. The area codes must be re-checked
// against NANPA's assignments (new overlays) whenever the version is bumped. Kept in code
// order.
constexpr std::array<RuleRow, 3> kRows{{
    {.code = "FL",
     .name = "Florida",
     .start_minute = 8 * 60,
     .end_minute = 20 * 60,
     .cap_calls = 3,
     .cap_hours = 24,
     .law = "Florida Telemarketing Act, Fla. Stat. § 501.616(6) (as amended by SB 1120, 2021)",
     .effective = "2021-07-01",
     .source_url = "https://www.flsenate.gov/Laws/Statutes/2024/501.616",
     .area_codes = "239 305 321 324 352 386 407 448 561 645 656 689 727 728 754 772 786 813 850 "
                   "863 904 941 954"},
    {.code = "MD",
     .name = "Maryland",
     .start_minute = 8 * 60,
     .end_minute = 20 * 60,
     .cap_calls = 3,
     .cap_hours = 24,
     .law = "Stop the Spam Calls Act of 2023, Md. Code, Com. Law § 14-4501 et seq. (SB 90)",
     .effective = "2024-01-01",
     .source_url = "https://mgaleg.maryland.gov/mgawebsite/Legislation/Details/sb0090?ys=2023RS",
     .area_codes = "227 240 301 410 443 667"},
    {.code = "OK",
     .name = "Oklahoma",
     .start_minute = 8 * 60,
     .end_minute = 20 * 60,
     .cap_calls = 3,
     .cap_hours = 24,
     .law = "Telephone Solicitation Act of 2022, 15 O.S. § 775C.1 et seq. (HB 3168)",
     .effective = "2022-11-01",
     .source_url = "http://www.oklegislature.gov/BillInfo.aspx?Bill=HB3168&Session=2200",
     .area_codes = "405 539 572 580 918"},
}};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The rules and an index from area code to rule. Built in place once and never moved, so
// the index's pointers into `rules` stay valid.
struct Pack {
  std::vector<StateRule> rules;
  std::array<const StateRule*, 1000> by_area_code{};

  Pack() {
    rules.reserve(kRows.size());
    for (const RuleRow& row : kRows) {
      StateRule rule;
      rule.code = row.code;
      rule.name = row.name;
      rule.hours.start_minute = row.start_minute;
      rule.hours.end_minute = row.end_minute;
      if (row.cap_calls > 0) {
        rule.cap = ContactCap{row.cap_calls, row.cap_hours, "state:" + std::string(row.code)};
      }
      rule.law = row.law;
      rule.effective = row.effective;
      rule.source_url = row.source_url;
      rules.push_back(std::move(rule));
    }
    for (size_t i = 0; i < kRows.size(); ++i) {
      const std::string_view codes = kRows[i].area_codes;
      for (size_t at = 0; at + 3 <= codes.size(); at += 4) {
        const int npa =
            (codes[at] - '0') * 100 + (codes[at + 1] - '0') * 10 + (codes[at + 2] - '0');
        by_area_code[size_t(npa)] = &rules[i];
      }
    }
  }
  Pack(const Pack&) = delete;
  Pack& operator=(const Pack&) = delete;
};

const Pack& pack() {
  static const Pack built;
  return built;
}

}  // namespace

const std::vector<StateRule>& state_rules() { return pack().rules; }

const StateRule* state_rule_for(std::string_view e164) {
  // "+1" and ten digits; in the NANP both the area code and the exchange start with 2-9.
  if (e164.size() != 12 || e164[0] != '+' || e164[1] != '1') return nullptr;
  for (size_t i = 2; i < e164.size(); ++i) {
    if (!is_digit(e164[i])) return nullptr;
  }
  if (e164[2] < '2' || e164[5] < '2') return nullptr;
  const int npa = (e164[2] - '0') * 100 + (e164[3] - '0') * 10 + (e164[4] - '0');
  return pack().by_area_code[size_t(npa)];
}

}  // namespace leadline::domain

#include "util/time.h"

#include <chrono>
#include <cstdio>

namespace leadline::util {
namespace {
using namespace std::chrono;

bool read_int(std::string_view text, size_t pos, size_t len, int& out) {
  if (pos + len > text.size()) return false;
  int value = 0;
  for (size_t i = pos; i < pos + len; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  out = value;
  return true;
}
}  // namespace

std::string format_iso(Millis ms) {
  const sys_time<milliseconds> tp{milliseconds{ms}};
  const auto day = floor<days>(tp);
  const year_month_day ymd{day};
  const hh_mm_ss hms{tp - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                int(hms.minutes().count()), int(hms.seconds().count()),
                int(hms.subseconds().count()));
  return buf;
}

std::optional<Millis> parse_iso(std::string_view t) {
  int y, mo, d, h = 0, mi = 0, s = 0;
  if (!read_int(t, 0, 4, y) || t.size() < 10 || t[4] != '-' || !read_int(t, 5, 2, mo) ||
      t[7] != '-' || !read_int(t, 8, 2, d))
    return std::nullopt;
  size_t pos = 10;
  int frac_ms = 0;
  if (pos < t.size() && (t[pos] == 'T' || t[pos] == ' ')) {
    if (!read_int(t, 11, 2, h) || t.size() < 16 || t[13] != ':' || !read_int(t, 14, 2, mi))
      return std::nullopt;
    pos = 16;
    if (pos < t.size() && t[pos] == ':') {
      if (!read_int(t, 17, 2, s)) return std::nullopt;
      pos = 19;
      if (pos < t.size() && t[pos] == '.') {
        ++pos;
        int digits = 0;
        while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') {
          if (digits < 3) frac_ms = frac_ms * 10 + (t[pos] - '0');
          ++digits;
          ++pos;
        }
        if (digits == 0) return std::nullopt;
        for (int i = digits; i < 3; ++i) frac_ms *= 10;
      }
    }
  }
  int offset_min = 0;
  if (pos < t.size()) {
    if (t[pos] == 'Z' && pos + 1 == t.size()) {
      ++pos;
    } else if ((t[pos] == '+' || t[pos] == '-') && t.size() == pos + 6 && t[pos + 3] == ':') {
      int oh, om;
      if (!read_int(t, pos + 1, 2, oh) || !read_int(t, pos + 4, 2, om)) return std::nullopt;
      offset_min = (oh * 60 + om) * (t[pos] == '+' ? 1 : -1);
      pos += 6;
    } else {
      return std::nullopt;
    }
  }
  const year_month_day ymd{year{y}, month{unsigned(mo)}, day{unsigned(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 59) return std::nullopt;
  const auto tp = sys_days{ymd} + hours{h} + minutes{mi} + seconds{s} + milliseconds{frac_ms} -
                  minutes{offset_min};
  return duration_cast<milliseconds>(tp.time_since_epoch()).count();
}

Millis system_now() {
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace leadline::util

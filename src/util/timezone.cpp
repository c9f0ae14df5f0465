#include "util/timezone.h"

#include <date/tz.h>

#include <stdexcept>
#include <string>

namespace leadline::util {

bool is_known_timezone(std::string_view name) {
  if (name.empty()) return false;
  try {
    return date::locate_zone(std::string(name)) != nullptr;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace leadline::util

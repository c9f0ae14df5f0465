#include "util/ids.h"

#include <openssl/rand.h>

#include <stdexcept>
#include <vector>

namespace leadline::util {

std::string random_base62(size_t length) {
  static constexpr std::string_view kAlphabet =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::string out;
  out.reserve(length);
  std::vector<unsigned char> bytes(length * 2);
  while (out.size() < length) {
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
      throw std::runtime_error("RAND_bytes failed");
    for (unsigned char b : bytes) {
      if (b >= 248) continue;  // 248 = 62 * 4: reject to keep the draw uniform
      out.push_back(kAlphabet[b % 62]);
      if (out.size() == length) break;
    }
  }
  return out;
}

std::string new_id(std::string_view prefix) {
  std::string id(prefix);
  id.push_back('_');
  id += random_base62(14);
  return id;
}

}  // namespace leadline::util

// parse_xlsx, the reader of uploaded workbooks, which promises never to throw or crash on
// hostile input. Two input forms:
// - bytes starting with "PK" go to the reader as they are: the zip layer (truncated,
//   lying headers, bad CRCs) is fuzzed;
// - anything else is a list of parts, each "=== <name in the zip>" on a line of its own
//   followed by its content, zipped here as the tests do. Mutating a real zip almost only
//   breaks its checksums, so this form is what reaches the XML reading: relationships,
//   shared strings, cell references, numbers.
#include <zip.h>

#include <memory>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "util/xlsx.h"

namespace {
using namespace leadline;

// Zips `parts` ({name, content}) in memory; "" when libzip refuses (e.g. an empty name).
std::string make_zip(const std::vector<std::pair<std::string, std::string>>& parts) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* out = zip_source_buffer_create(nullptr, 0, 0, &error);
  if (out == nullptr) return {};
  zip_source_keep(out);  // survives zip_close so the bytes can be read back
  zip_t* archive = zip_open_from_source(out, ZIP_TRUNCATE, &error);
  std::string bytes;
  if (archive != nullptr) {
    bool ok = true;
    for (const auto& [name, text] : parts) {
      zip_source_t* data = zip_source_buffer(archive, text.data(), text.size(), 0);
      if (data == nullptr) {
        ok = false;
        break;
      }
      if (zip_file_add(archive, name.c_str(), data, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8) < 0) {
        zip_source_free(data);
        ok = false;
        break;
      }
    }
    if (!ok || zip_close(archive) != 0) {
      zip_discard(archive);
    } else {
      zip_stat_t stat;
      if (zip_source_open(out) == 0) {
        if (zip_source_stat(out, &stat) == 0 && (stat.valid & ZIP_STAT_SIZE)) {
          bytes.resize(stat.size);
          if (zip_source_read(out, bytes.data(), bytes.size()) !=
              static_cast<zip_int64_t>(stat.size))
            bytes.clear();
        }
        zip_source_close(out);
      }
    }
  }
  zip_source_free(out);
  zip_error_fini(&error);
  return bytes;
}

std::vector<std::pair<std::string, std::string>> split_parts(std::string_view text) {
  constexpr std::string_view kMarker = "=== ";
  std::vector<std::pair<std::string, std::string>> parts;
  std::string_view rest = text;
  while (!rest.empty()) {
    auto [line, after] = fuzz::split_first_line(rest);
    if (line.starts_with(kMarker)) {
      parts.emplace_back(std::string(line.substr(kMarker.size())), std::string());
    } else if (!parts.empty()) {
      auto& content = parts.back().second;
      if (!content.empty()) content.push_back('\n');
      content.append(line);
    }
    if (after.empty() && line.size() == rest.size()) break;
    rest = after;
  }
  return parts;
}

void check(const std::variant<util::Table, util::ParseError>& parsed) {
  if (const auto* table = std::get_if<util::Table>(&parsed)) {
    for (const auto& row : table->rows)
      if (row.size() != table->header.size()) fuzz::fail("xlsx row width != header");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto bytes = fuzz::as_text(data, size);
  if (bytes.starts_with("PK")) {
    check(util::parse_xlsx(bytes));
    return 0;
  }
  const auto parts = split_parts(bytes);
  if (parts.empty()) return 0;
  const std::string zipped = make_zip(parts);
  if (!zipped.empty()) check(util::parse_xlsx(zipped));
  return 0;
}

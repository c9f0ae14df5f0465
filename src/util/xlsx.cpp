#include "util/xlsx.h"

#include <zip.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <memory>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <vector>

#include "util/utf8.h"

namespace leadline::util {
namespace {

constexpr size_t kMaxColumns = 16384;  // Excel's own limit, column XFD

using ZipPtr = std::unique_ptr<zip_t, decltype(&zip_discard)>;
using Result = std::variant<Table, ParseError>;

ParseError fail(std::string message) { return ParseError{"invalid XLSX file: " + message}; }

// A read-only view of the zip archive held in the caller's buffer (never copied).
class Archive {
 public:
  static std::variant<Archive, ParseError> open(std::string_view bytes, const XlsxLimits& limits) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    zip_t* archive = source ? zip_open_from_source(source, ZIP_RDONLY, &error) : nullptr;
    if (archive == nullptr) {
      if (source) zip_source_free(source);
      std::string reason = zip_error_strerror(&error);
      zip_error_fini(&error);
      return fail("not a readable zip archive (" + reason + ")");
    }
    zip_error_fini(&error);
    return Archive(ZipPtr(archive, &zip_discard), limits);
  }

  // The part's bytes, nullopt if absent (names are case-insensitive, as OPC says), or a
  // ParseError when it exists but cannot be inflated.
  std::variant<std::optional<std::string>, ParseError> read(const std::string& name) const {
    const zip_int64_t index = zip_name_locate(zip_.get(), name.c_str(), ZIP_FL_NOCASE);
    if (index < 0) return std::optional<std::string>{};
    const auto i = static_cast<zip_uint64_t>(index);
    zip_stat_t stat;
    if (zip_stat_index(zip_.get(), i, 0, &stat) != 0) return fail("cannot read " + name);
    // libzip reads no more than comp_size bytes of the buffer, so the ratio to it bounds
    // what the part can inflate to, whatever its header claims.
    const size_t compressed = (stat.valid & ZIP_STAT_COMP_SIZE) ? stat.comp_size : 0;
    if (stat.valid & ZIP_STAT_SIZE) {
      if (auto error = check_size(name, stat.size, compressed)) return *std::move(error);
    }
    std::unique_ptr<zip_file_t, decltype(&zip_fclose)> file(zip_fopen_index(zip_.get(), i, 0),
                                                            &zip_fclose);
    if (!file) return fail("cannot open " + name + " (" + zip_strerror(zip_.get()) + ")");
    std::string out;
    // The header's size may lie; read in chunks and stop at the caps either way.
    char buffer[64 * 1024];
    while (true) {
      const zip_int64_t n = zip_fread(file.get(), buffer, sizeof buffer);
      if (n < 0) return fail(name + " is corrupt (" + zip_file_strerror(file.get()) + ")");
      if (n == 0) break;
      out.append(buffer, static_cast<size_t>(n));
      if (auto error = check_size(name, out.size(), compressed)) return *std::move(error);
    }
    total_ += out.size();
    return std::optional<std::string>(std::move(out));
  }

 private:
  Archive(ZipPtr zip, const XlsxLimits& limits) : zip_(std::move(zip)), limits_(limits) {}

  std::optional<ParseError> check_size(const std::string& name, size_t size,
                                       size_t compressed) const {
    if (size > limits_.max_entry_bytes) {
      return ParseError{"the XLSX part " + name + " is larger than " +
                        std::to_string(limits_.max_entry_bytes) +
                        " bytes uncompressed, the limit per part"};
    }
    if (total_ + size > limits_.max_total_bytes) {
      return ParseError{"the XLSX file is larger than " + std::to_string(limits_.max_total_bytes) +
                        " bytes uncompressed, the limit per file"};
    }
    if (size > limits_.ratio_floor_bytes && size > compressed * limits_.max_compression_ratio) {
      return ParseError{"the XLSX part " + name + " is compressed more than " +
                        std::to_string(limits_.max_compression_ratio) +
                        ":1, the limit (a zip bomb?)"};
    }
    return std::nullopt;
  }

  ZipPtr zip_;
  XlsxLimits limits_;
  mutable size_t total_ = 0;  // bytes inflated so far, over all parts
};

// An XML part parsed in place; `text` must stay alive as long as `doc`.
struct XmlPart {
  std::string text;
  pugi::xml_document doc;
};

// Loads `name` as XML: nullopt-equivalent empty unique_ptr when absent.
std::variant<std::unique_ptr<XmlPart>, ParseError> load_xml(const Archive& archive,
                                                            const std::string& name) {
  auto bytes = archive.read(name);
  if (auto* error = std::get_if<ParseError>(&bytes)) return *error;
  auto& text = std::get<std::optional<std::string>>(bytes);
  if (!text) return std::unique_ptr<XmlPart>{};
  auto part = std::make_unique<XmlPart>();
  part->text = std::move(*text);
  // Keeps <t xml:space="preserve"> </t>, which pugixml would otherwise drop as blank.
  const auto parsed = part->doc.load_buffer_inplace(
      part->text.data(), part->text.size(), pugi::parse_default | pugi::parse_ws_pcdata_single);
  if (!parsed) return fail(name + " is not well-formed XML (" + parsed.description() + ")");
  return part;
}

// Element names compared without their namespace prefix ("x:row" from some writers).
std::string_view local_name(const char* name) {
  std::string_view n(name);
  const auto colon = n.rfind(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

pugi::xml_node child(pugi::xml_node node, std::string_view name) {
  for (auto c : node.children()) {
    if (c.type() == pugi::node_element && local_name(c.name()) == name) return c;
  }
  return {};
}

// Resolves a relationship target against the folder of the part that owns it.
std::string resolve(std::string_view base_dir, std::string_view target) {
  std::vector<std::string_view> segments;
  std::string_view path = target;
  std::string joined;
  if (path.starts_with('/')) {
    path.remove_prefix(1);
  } else {
    joined = std::string(base_dir) + std::string(path);
    path = joined;
  }
  while (!path.empty()) {
    const auto slash = path.find('/');
    const auto segment = path.substr(0, slash);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash + 1);
  }
  std::string out;
  for (const auto& s : segments) out.append(out.empty() ? "" : "/").append(s);
  return out;
}

// Finds a relationship in a .rels part by Id or by the end of its Type URI.
std::optional<std::string> find_target(const XmlPart* rels, std::string_view base_dir,
                                       std::string_view id, std::string_view type_suffix) {
  if (rels == nullptr) return std::nullopt;
  for (auto rel : child(rels->doc, "Relationships").children()) {
    if (local_name(rel.name()) != "Relationship") continue;
    const std::string_view type = rel.attribute("Type").value();
    const bool match = id.empty() ? type.ends_with(type_suffix) : id == rel.attribute("Id").value();
    if (match && rel.attribute("TargetMode").value() != std::string_view("External")) {
      return resolve(base_dir, rel.attribute("Target").value());
    }
  }
  return std::nullopt;
}

// Concatenates the <t> texts of a shared or inline string, rich-text runs included and
// phonetic guides (<rPh>) left out.
void append_string_item(pugi::xml_node item, std::string& out) {
  for (auto c : item.children()) {
    const auto name = local_name(c.name());
    if (name == "t") {
      out += c.text().get();
    } else if (name == "r") {
      out += child(c, "t").text().get();
    }
  }
}

// Renders a numeric cell as Excel shows it in General format, so an integer (or phone
// number) stored as "1.4155550100E10" becomes "14155550100".
std::string render_number(std::string_view v) {
  double value = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
  if (ec != std::errc() || end != v.data() + v.size() || !std::isfinite(value)) {
    return std::string(v);
  }
  char buffer[32];
  std::to_chars_result written;
  if (value == std::trunc(value) && std::fabs(value) < 9007199254740992.0) {  // 2^53
    written = std::to_chars(buffer, buffer + sizeof buffer, static_cast<long long>(value));
  } else {
    written = std::to_chars(buffer, buffer + sizeof buffer, value);  // shortest round-trip
  }
  return std::string(buffer, written.ptr);
}

// "C7" → 2; nullopt when the reference has no usable column.
std::optional<size_t> column_of(std::string_view ref) {
  size_t column = 0;
  size_t letters = 0;
  for (char c : ref) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c < 'A' || c > 'Z') break;
    column = column * 26 + static_cast<size_t>(c - 'A' + 1);
    if (++letters > 3) return std::nullopt;
  }
  if (letters == 0 || column > kMaxColumns) return std::nullopt;
  return column - 1;
}

std::string column_name(size_t column) {
  std::string out;
  for (size_t n = column + 1; n > 0; n = (n - 1) / 26) {
    out.insert(out.begin(), static_cast<char>('A' + (n - 1) % 26));
  }
  return out;
}

class SheetReader {
 public:
  SheetReader(const std::vector<std::string>& shared, const TableLimits& limits)
      : shared_(shared), limits_(limits) {}

  Result read(const pugi::xml_document& sheet) {
    const auto data = child(child(sheet, "worksheet"), "sheetData");
    if (!data) return fail("the first worksheet has no sheetData");
    std::vector<std::string> cells;
    for (auto row : data.children()) {
      if (local_name(row.name()) != "row") continue;
      // The row's own number, as the spreadsheet shows it; sparse rows skip numbers.
      const auto number = row.attribute("r");
      sheet_row_ = number ? number.as_uint(static_cast<unsigned>(sheet_row_ + 1)) : sheet_row_ + 1;
      if (auto error = read_row(row, cells)) return *std::move(error);
      if (std::all_of(cells.begin(), cells.end(), [](const auto& c) { return c.empty(); })) {
        continue;
      }
      if (auto error = add_row(cells)) return *std::move(error);
    }
    if (!has_header_) return ParseError{"the first worksheet is empty"};
    return std::move(table_);
  }

 private:
  std::optional<ParseError> read_row(pugi::xml_node row, std::vector<std::string>& cells) {
    cells.clear();
    size_t next = 0;
    for (auto cell : row.children()) {
      if (local_name(cell.name()) != "c") continue;
      const auto ref = cell.attribute("r");
      const auto column = ref ? column_of(ref.value()) : std::optional<size_t>(next);
      if (!column) return fail(std::string("bad cell reference ") + ref.value());
      if (*column >= kMaxColumns) return fail("more than 16384 columns");
      next = *column + 1;
      bool shared = false;
      auto value = cell_text(cell, shared);
      if (!value) return fail("shared string index out of range");
      if (value->empty()) continue;
      // Styled but empty cells far to the right are common; only values count.
      if (*column >= limits_.max_columns) {
        return ParseError{"row " + std::to_string(sheet_row_) + " has a value in column " +
                          column_name(*column) + "; at most " +
                          std::to_string(limits_.max_columns) + " columns are accepted"};
      }
      if (value->size() > limits_.max_cell_bytes) {
        return ParseError{"cell " + column_name(*column) + std::to_string(sheet_row_) +
                          " is longer than " + std::to_string(limits_.max_cell_bytes) +
                          " bytes, the limit per cell"};
      }
      // Shared strings were checked once when read; the rest is checked here.
      if (!shared && !is_valid_utf8(*value)) {
        return fail("cell " + column_name(*column) + std::to_string(sheet_row_) +
                    " is not valid UTF-8");
      }
      // One long shared string referenced by every cell would otherwise multiply in memory.
      text_bytes_ += value->size();
      if (text_bytes_ > limits_.max_text_bytes) {
        return ParseError{"the file holds more than " + std::to_string(limits_.max_text_bytes) +
                          " bytes of cell text, the limit per file"};
      }
      if (cells.size() <= *column) cells.resize(*column + 1);
      cells[*column] = std::move(*value);
    }
    return std::nullopt;
  }

  std::optional<ParseError> add_row(std::vector<std::string>& cells) {
    if (!has_header_) {
      has_header_ = true;
      for (auto& name : cells) table_.header.emplace_back(trim(name));
      // A blank-looking last header cell (" ") names no column.
      while (!table_.header.empty() && table_.header.back().empty()) table_.header.pop_back();
      max_rows_ =
          std::min(limits_.max_rows, limits_.max_cells / std::max<size_t>(table_.header.size(), 1));
      return std::nullopt;
    }
    const size_t width = table_.header.size();
    if (table_.rows.size() == max_rows_) return too_many_rows(limits_, width);
    if (cells.size() > width) {  // cells ends with a value (set only for non-empty ones)
      return ParseError{"row " + std::to_string(table_.rows.size() + 1) +
                        " has a value in column " + column_name(cells.size() - 1) +
                        " but the header has " + std::to_string(width) + " columns"};
    }
    cells.resize(width);
    table_.rows.push_back(std::move(cells));
    cells = {};
    return std::nullopt;
  }

  // The cell's display text; nullopt only for a dangling shared-string index. `shared`
  // tells whether it came from the shared strings.
  std::optional<std::string> cell_text(pugi::xml_node cell, bool& shared) const {
    const std::string_view type = cell.attribute("t").value();
    std::string out;
    if (type == "inlineStr") {
      append_string_item(child(cell, "is"), out);
      return out;
    }
    const std::string_view v = child(cell, "v").text().get();
    if (type == "s") {
      if (v.empty()) return out;
      size_t index = 0;
      const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), index);
      if (ec != std::errc() || end != v.data() + v.size() || index >= shared_.size()) {
        return std::nullopt;
      }
      shared = true;
      return shared_[index];
    }
    if (type == "b") return std::string(v == "1" ? "TRUE" : v == "0" ? "FALSE" : v);
    if (type == "str" || type == "e" || type == "d" || v.empty()) return std::string(v);
    return render_number(v);
  }

  static std::string trim(std::string_view s) {
    constexpr std::string_view kSpace = " \t\r\n";
    const auto first = s.find_first_not_of(kSpace);
    if (first == std::string_view::npos) return {};
    return std::string(s.substr(first, s.find_last_not_of(kSpace) - first + 1));
  }

  const std::vector<std::string>& shared_;
  const TableLimits& limits_;
  Table table_;
  bool has_header_ = false;
  size_t max_rows_ = 0;
  size_t sheet_row_ = 0;  // the current row's number in the sheet, for messages
  size_t text_bytes_ = 0;
};

std::string_view dir_of(std::string_view part) {
  const auto slash = part.rfind('/');
  return slash == std::string_view::npos ? std::string_view{} : part.substr(0, slash + 1);
}

std::string rels_of(std::string_view part) {
  return std::string(dir_of(part)) + "_rels/" + std::string(part.substr(dir_of(part).size())) +
         ".rels";
}

Result parse_archive(const Archive& archive, const TableLimits& limits,
                     const XlsxLimits& zip_limits) {
  auto root_rels = load_xml(archive, "_rels/.rels");
  if (auto* e = std::get_if<ParseError>(&root_rels)) return *e;
  const auto workbook_name = find_target(std::get<0>(root_rels).get(), "", "", "/officeDocument")
                                 .value_or("xl/workbook.xml");
  auto workbook = load_xml(archive, workbook_name);
  if (auto* e = std::get_if<ParseError>(&workbook)) return *e;
  if (!std::get<0>(workbook)) return fail("no workbook (is it an .xls or .ods file?)");
  auto rels = load_xml(archive, rels_of(workbook_name));
  if (auto* e = std::get_if<ParseError>(&rels)) return *e;
  const XmlPart* workbook_rels = std::get<0>(rels).get();
  const auto base = dir_of(workbook_name);

  const auto sheet = child(child(child(std::get<0>(workbook)->doc, "workbook"), "sheets"), "sheet");
  if (!sheet) return fail("the workbook has no sheets");
  std::string_view rel_id;
  for (auto attribute : sheet.attributes()) {  // r:id, whatever the prefix
    if (local_name(attribute.name()) == "id") rel_id = attribute.value();
  }
  const auto sheet_name =
      (rel_id.empty() ? std::nullopt : find_target(workbook_rels, base, rel_id, ""))
          .value_or(std::string(base) + "worksheets/sheet1.xml");

  std::vector<std::string> shared;
  if (const auto strings_name = find_target(workbook_rels, base, "", "/sharedStrings")) {
    auto strings = load_xml(archive, *strings_name);
    if (auto* e = std::get_if<ParseError>(&strings)) return *e;
    if (const auto* part = std::get<0>(strings).get()) {
      for (auto item : child(part->doc, "sst").children()) {
        if (local_name(item.name()) != "si") continue;
        if (shared.size() == zip_limits.max_shared_strings) {
          return ParseError{"the XLSX file has more than " +
                            std::to_string(zip_limits.max_shared_strings) +
                            " shared strings, the limit per file"};
        }
        append_string_item(item, shared.emplace_back());
        if (!is_valid_utf8(shared.back())) {
          return fail("shared string " + std::to_string(shared.size()) + " is not valid UTF-8");
        }
      }
    }
  }

  auto sheet_xml = load_xml(archive, sheet_name);
  if (auto* e = std::get_if<ParseError>(&sheet_xml)) return *e;
  if (!std::get<0>(sheet_xml)) return fail("the first sheet (" + sheet_name + ") is missing");
  return SheetReader(shared, limits).read(std::get<0>(sheet_xml)->doc);
}

}  // namespace

Result parse_xlsx(std::string_view bytes, const TableLimits& limits, const XlsxLimits& zip_limits) {
  auto archive = Archive::open(bytes, zip_limits);
  if (auto* error = std::get_if<ParseError>(&archive)) return *error;
  return parse_archive(std::get<Archive>(archive), limits, zip_limits);
}

}  // namespace leadline::util

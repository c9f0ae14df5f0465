#include "util/csv.h"

#include <algorithm>
#include <cstring>
#include <optional>

#include "util/utf8.h"

namespace leadline::util {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

std::string_view trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n\v\f";
  const auto first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(kSpace);
  return s.substr(first, last - first + 1);
}

// Only the header's own line is inspected: data rows may legitimately hold ';' or tabs.
char detect_delimiter(std::string_view text) {
  const auto first_line = text.substr(0, text.find_first_of("\r\n"));
  if (first_line.find(',') != std::string_view::npos) return ',';
  const auto semicolons = std::count(first_line.begin(), first_line.end(), ';');
  const auto tabs = std::count(first_line.begin(), first_line.end(), '\t');
  if (semicolons == 0 && tabs == 0) return ',';
  return semicolons >= tabs ? ';' : '\t';
}

// A single forward pass over the text. Fields are built from whole slices (one string
// construction per field, not per character) because uploads reach a million rows.
class CsvReader {
 public:
  CsvReader(std::string_view text, char delimiter, const TableLimits& limits)
      : text_(text), delimiter_(delimiter), limits_(limits) {}

  enum class Status { kRecord, kEnd, kError };

  // Reads the next non-empty record into `fields` (cleared first).
  Status next(std::vector<std::string>& fields) {
    fields.clear();
    skip_empty_lines();
    if (pos_ >= text_.size()) return Status::kEnd;
    const size_t record_line = line_;
    while (true) {
      // Trailing empty extras are tolerated by fit_row, but not without bound.
      if (fields.size() == limits_.max_columns) {
        error_ = "line " + std::to_string(record_line) + " has more than " +
                 std::to_string(limits_.max_columns) + " fields; at most " +
                 std::to_string(limits_.max_columns) + " columns are accepted";
        return Status::kError;
      }
      fields.emplace_back();
      if (!read_field(fields.back())) return Status::kError;
      text_bytes_ += fields.back().size();
      if (fields.back().size() > limits_.max_cell_bytes) {
        error_ = "a field on line " + std::to_string(line_) + " is longer than " +
                 std::to_string(limits_.max_cell_bytes) + " bytes, the limit per cell";
        return Status::kError;
      }
      if (text_bytes_ > limits_.max_text_bytes) {
        error_ = "the file holds more than " + std::to_string(limits_.max_text_bytes) +
                 " bytes of cell text, the limit per file";
        return Status::kError;
      }
      if (pos_ >= text_.size()) return Status::kRecord;
      const char c = text_[pos_];
      if (c == delimiter_) {
        ++pos_;
        continue;
      }
      consume_line_end();
      return Status::kRecord;
    }
  }

  const std::string& error() const { return error_; }

 private:
  void skip_empty_lines() {
    while (pos_ < text_.size() && (text_[pos_] == '\n' || text_[pos_] == '\r')) {
      consume_line_end();
    }
  }

  // Treats CRLF, LF and a lone CR (old Mac exports) each as one line end.
  void consume_line_end() {
    if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ++pos_;
    ++pos_;
    ++line_;
  }

  bool read_field(std::string& out) {
    if (pos_ < text_.size() && text_[pos_] == '"') return read_quoted(out);
    const size_t start = pos_;
    const char* p = text_.data() + pos_;
    const char* end = text_.data() + text_.size();
    while (p != end && *p != delimiter_ && *p != '\n' && *p != '\r') ++p;
    pos_ = static_cast<size_t>(p - text_.data());
    // An oversized field is refused by next() without copying it first.
    out.assign(text_.data() + start, std::min(pos_ - start, limits_.max_cell_bytes + 1));
    return true;
  }

  bool read_quoted(std::string& out) {
    const size_t start_line = line_;
    ++pos_;  // opening quote
    while (true) {
      const void* hit = std::memchr(text_.data() + pos_, '"', text_.size() - pos_);
      if (hit == nullptr) {
        error_ = "unterminated quoted field starting on line " + std::to_string(start_line);
        return false;
      }
      const size_t quote = static_cast<size_t>(static_cast<const char*>(hit) - text_.data());
      const auto piece = text_.substr(pos_, quote - pos_);
      line_ += static_cast<size_t>(std::count(piece.begin(), piece.end(), '\n'));
      append_capped(out, piece);
      pos_ = quote + 1;
      if (pos_ < text_.size() && text_[pos_] == '"') {  // "" stands for one quote
        append_capped(out, "\"");
        ++pos_;
        continue;
      }
      break;
    }
    // Lenient like Excel: text after the closing quote (`"a"b`) is kept literally.
    const size_t rest = pos_;
    while (pos_ < text_.size() && text_[pos_] != delimiter_ && text_[pos_] != '\n' &&
           text_[pos_] != '\r') {
      ++pos_;
    }
    append_capped(out, text_.substr(rest, pos_ - rest));
    return true;
  }

  // Keeps at most one byte over the cell limit: enough for next() to refuse the field,
  // without first copying a field as large as the file.
  void append_capped(std::string& out, std::string_view piece) const {
    const size_t room =
        limits_.max_cell_bytes + 1 - std::min(out.size(), limits_.max_cell_bytes + 1);
    out.append(piece.substr(0, std::min(room, piece.size())));
  }

  std::string_view text_;
  char delimiter_;
  const TableLimits& limits_;
  size_t text_bytes_ = 0;
  size_t pos_ = 0;
  size_t line_ = 1;
  std::string error_;
};

// Fits a data row to the header width, or explains why it cannot.
std::optional<ParseError> fit_row(std::vector<std::string>& fields, size_t width,
                                  size_t row_number) {
  if (fields.size() > width) {
    const bool extra_all_empty = std::all_of(fields.begin() + static_cast<ptrdiff_t>(width),
                                             fields.end(), [](const auto& f) { return f.empty(); });
    if (!extra_all_empty) {
      return ParseError{"row " + std::to_string(row_number) + " has " +
                        std::to_string(fields.size()) + " fields but the header has " +
                        std::to_string(width)};
    }
  }
  fields.resize(width);
  return std::nullopt;
}

}  // namespace

ParseError too_many_rows(const TableLimits& limits, size_t width) {
  if (limits.max_rows <= limits.max_cells / std::max<size_t>(width, 1)) {
    return ParseError{"the file holds more than " + std::to_string(limits.max_rows) +
                      " lead rows; at most " + std::to_string(limits.max_rows) +
                      " are accepted per request, split it into several files"};
  }
  return ParseError{"the file holds more than " + std::to_string(limits.max_cells) +
                    " cells (rows x " + std::to_string(width) +
                    " columns), the limit per file; remove unused columns or split it"};
}

std::variant<Table, ParseError> parse_csv(std::string_view text, const TableLimits& limits) {
  if (text.starts_with(kUtf8Bom)) text.remove_prefix(kUtf8Bom.size());
  Table table;
  // Spreadsheet programs save "CSV" in the Windows code page unless told otherwise. Bytes
  // that are not UTF-8 would be refused by the databases, and a guess per cell could mix
  // two encodings in one file: the whole file is read one way.
  std::string converted;
  if (!is_valid_utf8(text)) {
    converted = windows1252_to_utf8(text);
    text = converted;
    table.encoding = TextEncoding::kWindows1252;
  }
  const auto first_content = text.find_first_not_of("\r\n");
  if (first_content == std::string_view::npos) return ParseError{"the CSV file is empty"};

  CsvReader reader(text, detect_delimiter(text.substr(first_content)), limits);
  std::vector<std::string> fields;
  if (reader.next(fields) == CsvReader::Status::kError) return ParseError{reader.error()};
  table.header.reserve(fields.size());
  for (const auto& name : fields) table.header.emplace_back(trim(name));
  const size_t width = table.header.size();
  const size_t max_rows = std::min(limits.max_rows, limits.max_cells / std::max<size_t>(width, 1));

  // One pass to count lines is far cheaper than letting `rows` regrow a dozen times; the
  // row cap keeps a file of bare newlines from reserving gigabytes.
  table.rows.reserve(
      std::min(static_cast<size_t>(std::count(text.begin(), text.end(), '\n')), max_rows));
  while (true) {
    const auto status = reader.next(fields);
    if (status == CsvReader::Status::kEnd) break;
    if (status == CsvReader::Status::kError) return ParseError{reader.error()};
    if (table.rows.size() == max_rows) return too_many_rows(limits, width);
    if (auto error = fit_row(fields, width, table.rows.size() + 1)) return *std::move(error);
    table.rows.push_back(std::move(fields));
    fields = {};
    fields.reserve(width);
  }
  return table;
}

}  // namespace leadline::util

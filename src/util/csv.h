#pragma once
// CSV (RFC 4180) parsing for lead uploads. Also home of Table and ParseError, which the
// XLSX reader shares, so an upload is handled the same whichever format it came in.
// Pure functions on caller-owned text: safe to call from any thread.
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "util/input_limits.h"

namespace leadline::util {

// How a file's bytes were read as text.
enum class TextEncoding {
  kUtf8,
  // The file was not valid UTF-8: read as the Windows code page that spreadsheet programs
  // export "CSV" in, and converted.
  kWindows1252,
};

// A rectangular sheet: every row has exactly header.size() cells.
struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  TextEncoding encoding = TextEncoding::kUtf8;  // CSV only; XLSX is UTF-8 by format
};

// Bounds checked while a file is read (defaults: util/input_limits.h), so a hostile file
// stops early instead of first filling memory. Each message names the limit it hit.
struct TableLimits {
  size_t max_rows = limits::kMaxLeadsPerRequest;  // data rows, header not counted
  size_t max_columns = limits::kMaxFileColumns;
  size_t max_cell_bytes = limits::kMaxCellBytes;
  size_t max_cells = limits::kMaxFileCells;  // data rows x header width
  size_t max_text_bytes = limits::kMaxFileTextBytes;
};

// Why a file could not be read as a table; the message is meant for the API user.
struct ParseError {
  std::string message;
};

// Parses CSV text whose first record is the header.
// - Quoted fields may hold delimiters, newlines and "" (one quote); CRLF, LF or CR end a
//   record; a leading UTF-8 BOM is dropped; header names are trimmed.
// - The delimiter is ',' unless the header line has none, in which case ';' or tab is
//   used if present (European Excel exports use ';').
// - Completely empty lines are skipped and do not count as rows.
// - Short rows are padded with "". A longer row is an error naming its data row number
//   (1 = first row after the header, i.e. index + 1 in Table::rows), except that extra
//   trailing fields which are all empty are dropped (spreadsheet exports add them).
// - An unterminated quote is an error naming the line where the field started.
// - Text that is not valid UTF-8 is read as Windows-1252 (Table::encoding says so).
// - Going over any of `limits` is an error naming the limit.
std::variant<Table, ParseError> parse_csv(std::string_view text, const TableLimits& limits = {});

// The error for a file with more data rows than `limits` allow at this header width: the
// row cap, or the cell cap when that is the tighter one. Shared with the XLSX reader.
ParseError too_many_rows(const TableLimits& limits, size_t width);

}  // namespace leadline::util

#pragma once
// CSV (RFC 4180) parsing for lead uploads. Also home of Table and ParseError, which the
// XLSX reader shares, so an upload is handled the same whichever format it came in.
// Pure functions on caller-owned text: safe to call from any thread.
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace leadline::util {

// A rectangular sheet: every row has exactly header.size() cells.
struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
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
std::variant<Table, ParseError> parse_csv(std::string_view text);

}  // namespace leadline::util

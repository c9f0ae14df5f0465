#pragma once
// PostgreSQL writes of many rows in one statement: each column of the rows is one array
// parameter, and unnest() in the statement turns the arrays back into rows, in order
// ("... FROM unnest(?::text[], ?::bigint[]) WITH ORDINALITY AS v(a, b, n) ORDER BY n").
// The server parses one array literal per column, far less than a JSON array of row objects
// (a key and a look-up per value).
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/sql/driver.h"

namespace leadline::store::sql {

// The columns of a chunk of rows as array literals ('{"a",NULL,"b"}'), filled row by row,
// value by value in the statement's column order.
class ColumnArrays {
 public:
  explicit ColumnArrays(int columns) : arrays_(static_cast<size_t>(columns), "{") {}

  // Text is quoted and escaped; invalid UTF-8 (which would fail the whole statement) is
  // repaired, as the JSON writer does.
  ColumnArrays& add(std::string_view text);
  ColumnArrays& add(std::int64_t value);
  ColumnArrays& add(double value);
  ColumnArrays& add(int value) { return add(static_cast<std::int64_t>(value)); }
  ColumnArrays& add(Kept value) { return add(value.text); }
  ColumnArrays& add(std::nullopt_t);
  template <typename T>
  ColumnArrays& add(const std::optional<T>& value) {
    return value ? add(*value) : add(std::nullopt);
  }
  // Ends a row: the next value goes to the first column.
  void end_row() { column_ = 0; }
  // Ends the arrays (no row may follow) and binds them to parameters first.. of `s`; may bind
  // them to several statements.
  Statement& bind(Statement& s, int first = 1);
  // Binds the arrays to parameters 1..columns of `sql` and runs it.
  void exec(Connection& conn, std::string_view sql);

 private:
  std::string& next();
  std::vector<std::string> arrays_;
  size_t column_ = 0;
  bool ended_ = false;
};

// Appends of many rows on PostgreSQL, for tables that take rows as they come (no conflict to
// resolve, no keys to return): COPY ... FROM STDIN, which inserts them a page at a time, where
// INSERT ... SELECT FROM unnest() inserts them one by one after parsing the arrays (half the
// time, for history rows inserted by psql: docs/benchmarks.md). The rows in COPY's text
// format: a line per row, its values separated by tabs, NULL as \N. Filled as ColumnArrays is.
class CopyRows {
 public:
  // Text is escaped; invalid UTF-8 is repaired, as ColumnArrays does.
  CopyRows& add(std::string_view text);
  CopyRows& add(std::int64_t value);
  CopyRows& add(double value);
  CopyRows& add(int value) { return add(static_cast<std::int64_t>(value)); }
  CopyRows& add(Kept value) { return add(value.text); }
  CopyRows& add(std::nullopt_t);
  template <typename T>
  CopyRows& add(const std::optional<T>& value) {
    return value ? add(*value) : add(std::nullopt);
  }
  void end_row();
  // Runs `copy` (COPY table (columns) FROM STDIN) with the rows.
  void exec(Connection& conn, std::string_view copy) const { conn.copy_in(copy, data_); }

 private:
  std::string& next();
  std::string data_;
  bool first_in_row_ = true;
};

// Copies `rows` by `copy`; `add_row(copy_rows, row)` adds a row's values in the column order.
template <typename Rows, typename AddRow>
void copy_rows(Connection& conn, std::string_view copy, const Rows& rows, AddRow add_row) {
  if (rows.empty()) return;
  CopyRows data;
  for (const auto& row : rows) {
    add_row(data, row);
    data.end_row();
  }
  data.exec(conn, copy);
}

// Rows per statement: keeps each parameter well below a few megabytes.
inline constexpr size_t kRowsPerStatement = 5000;

// Runs `sql` (one array parameter per column, nothing else) over `rows` in chunks of
// kRowsPerStatement; `add_row(arrays, row)` adds a row's values in the statement's column order.
template <typename Rows, typename AddRow>
void write_arrays(Connection& conn, std::string_view sql, const Rows& rows, AddRow add_row) {
  const int columns = static_cast<int>(std::count(sql.begin(), sql.end(), '?'));
  for (size_t start = 0; start < rows.size(); start += kRowsPerStatement) {
    ColumnArrays arrays(columns);
    for (size_t i = start; i < std::min(rows.size(), start + kRowsPerStatement); ++i) {
      add_row(arrays, rows[i]);
      arrays.end_row();
    }
    arrays.exec(conn, sql);
  }
}

}  // namespace leadline::store::sql

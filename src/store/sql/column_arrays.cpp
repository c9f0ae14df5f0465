#include "store/sql/column_arrays.h"

#include <charconv>

#include "util/utf8.h"

namespace leadline::store::sql {

ColumnArrays& ColumnArrays::add(std::string_view text) {
  std::string& out = next();
  out.push_back('"');
  const bool valid = util::is_valid_utf8(text);
  const std::string repaired = valid ? std::string() : util::to_valid_utf8(text);
  // Copied in runs; a quote or a backslash is escaped with a backslash.
  for (std::string_view rest = valid ? text : repaired; !rest.empty();) {
    size_t special = 0;  // (find_first_of would call memchr per character)
    while (special < rest.size() && rest[special] != '"' && rest[special] != '\\') ++special;
    out.append(rest.substr(0, special));
    if (special == rest.size()) break;
    out.push_back('\\');
    out.push_back(rest[special]);
    rest.remove_prefix(special + 1);
  }
  out.push_back('"');
  return *this;
}

ColumnArrays& ColumnArrays::add(std::int64_t value) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  next().append(digits, end);
  return *this;
}

ColumnArrays& ColumnArrays::add(double value) {
  char digits[32];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  next().append(digits, end);
  return *this;
}

ColumnArrays& ColumnArrays::add(std::nullopt_t) {
  next().append("NULL");
  return *this;
}

CopyRows& CopyRows::add(std::string_view text) {
  std::string& out = next();
  const bool valid = util::is_valid_utf8(text);
  const std::string repaired = valid ? std::string() : util::to_valid_utf8(text);
  // Copied in runs; a backslash, a tab or a line break is escaped.
  for (std::string_view rest = valid ? text : repaired; !rest.empty();) {
    size_t special = 0;
    while (special < rest.size() && rest[special] != '\\' && rest[special] != '\t' &&
           rest[special] != '\n' && rest[special] != '\r')
      ++special;
    out.append(rest.substr(0, special));
    if (special == rest.size()) break;
    const char c = rest[special];
    out.push_back('\\');
    out.push_back(c == '\t' ? 't' : c == '\n' ? 'n' : c == '\r' ? 'r' : '\\');
    rest.remove_prefix(special + 1);
  }
  return *this;
}

CopyRows& CopyRows::add(std::int64_t value) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  next().append(digits, end);
  return *this;
}

CopyRows& CopyRows::add(double value) {
  char digits[32];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  next().append(digits, end);
  return *this;
}

CopyRows& CopyRows::add(std::nullopt_t) {
  next().append("\\N");
  return *this;
}

void CopyRows::end_row() {
  data_.push_back('\n');
  first_in_row_ = true;
}

std::string& CopyRows::next() {
  if (!first_in_row_) data_.push_back('\t');
  first_in_row_ = false;
  return data_;
}

Statement& ColumnArrays::bind(Statement& s, int first) {
  if (!ended_)
    for (auto& array : arrays_) array.push_back('}');
  ended_ = true;
  for (size_t i = 0; i < arrays_.size(); ++i) s.bind(first + static_cast<int>(i), arrays_[i]);
  return s;
}

void ColumnArrays::exec(Connection& conn, std::string_view sql) {
  auto s = conn.prepare(sql);
  bind(s).exec();
}

std::string& ColumnArrays::next() {
  if (ended_) throw StoreError("a value was added to arrays already bound");
  std::string& array = arrays_.at(column_++);
  if (array.size() > 1) array.push_back(',');
  return array;
}

}  // namespace leadline::store::sql

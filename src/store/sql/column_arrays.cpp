#include "store/sql/column_arrays.h"

#include <charconv>

#include "util/utf8.h"

namespace leadline::store::sql {

namespace {
// Appends `text`, its invalid UTF-8 repaired (as the JSON writer does; it would fail the whole
// statement), each character for which `escape` gives a sequence replaced by it. Copied in
// runs.
template <typename Escape>
void append_escaped(std::string& out, std::string_view text, Escape escape) {
  const bool valid = util::is_valid_utf8(text);
  const std::string repaired = valid ? std::string() : util::to_valid_utf8(text);
  for (std::string_view rest = valid ? text : repaired; !rest.empty();) {
    size_t special = 0;  // (find_first_of would call memchr per character)
    while (special < rest.size() && escape(rest[special]).empty()) ++special;
    out.append(rest.substr(0, special));
    if (special == rest.size()) break;
    out.append(escape(rest[special]));
    rest.remove_prefix(special + 1);
  }
}

template <typename Number>
void append_number(std::string& out, Number value) {
  char digits[32];
  out.append(digits, std::to_chars(digits, digits + sizeof digits, value).ptr);
}
}  // namespace

ColumnArrays& ColumnArrays::add(std::string_view text) {
  std::string& out = next();
  out.push_back('"');
  // A quote or a backslash is escaped with a backslash.
  append_escaped(out, text, [](char c) -> std::string_view {
    return c == '"' ? "\\\"" : c == '\\' ? "\\\\" : "";
  });
  out.push_back('"');
  return *this;
}

ColumnArrays& ColumnArrays::add(std::int64_t value) {
  append_number(next(), value);
  return *this;
}

ColumnArrays& ColumnArrays::add(double value) {
  append_number(next(), value);
  return *this;
}

ColumnArrays& ColumnArrays::add(std::nullopt_t) {
  next().append("NULL");
  return *this;
}

CopyRows& CopyRows::add(std::string_view text) {
  // A backslash, a tab or a line break is escaped.
  append_escaped(next(), text, [](char c) -> std::string_view {
    switch (c) {
      case '\\':
        return "\\\\";
      case '\t':
        return "\\t";
      case '\n':
        return "\\n";
      case '\r':
        return "\\r";
      default:
        return "";
    }
  });
  return *this;
}

CopyRows& CopyRows::add(std::int64_t value) {
  append_number(next(), value);
  return *this;
}

CopyRows& CopyRows::add(double value) {
  append_number(next(), value);
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

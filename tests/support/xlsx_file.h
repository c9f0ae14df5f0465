#pragma once
// Builds a small but real .xlsx workbook in memory (libzip), for upload tests. Every cell is
// an inline string, as a spreadsheet exporter may write them.
#include <zip.h>

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace leadline::test {

// Writes the files into an in-memory zip archive and returns its bytes.
inline std::string make_zip(const std::map<std::string, std::string>& files) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* out = zip_source_buffer_create(nullptr, 0, 0, &error);
  zip_source_keep(out);  // survive zip_close so the bytes can be read back
  zip_t* archive = zip_open_from_source(out, ZIP_TRUNCATE, &error);
  if (!archive) throw std::runtime_error("zip_open_from_source failed");
  for (const auto& [name, text] : files) {
    zip_source_t* data = zip_source_buffer(archive, text.data(), text.size(), 0);
    if (zip_file_add(archive, name.c_str(), data, ZIP_FL_OVERWRITE) < 0)
      throw std::runtime_error("zip_file_add failed");
  }
  if (zip_close(archive) != 0) throw std::runtime_error("zip_close failed");
  zip_stat_t stat;
  zip_source_open(out);
  zip_source_stat(out, &stat);
  std::string bytes(stat.size, '\0');
  zip_source_read(out, bytes.data(), bytes.size());
  zip_source_close(out);
  zip_source_free(out);
  zip_error_fini(&error);
  return bytes;
}

// A one-sheet workbook whose first row is `rows[0]`; cells are written with references.
inline std::string make_xlsx(const std::vector<std::vector<std::string>>& rows) {
  const std::string main_ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
  const std::string rel_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  const std::string pkg_rel_ns = "http://schemas.openxmlformats.org/package/2006/relationships";
  std::string sheet;
  for (size_t r = 0; r < rows.size(); ++r) {
    const std::string row = std::to_string(r + 1);
    sheet += "<row r=\"" + row + "\">";
    for (size_t c = 0; c < rows[r].size() && c < 26; ++c) {
      if (rows[r][c].empty()) continue;
      sheet += "<c r=\"" + std::string(1, static_cast<char>('A' + c)) + row +
               "\" t=\"inlineStr\"><is><t>" + rows[r][c] + "</t></is></c>";
    }
    sheet += "</row>";
  }
  std::map<std::string, std::string> files;
  files["[Content_Types].xml"] =
      "<?xml version=\"1.0\"?><Types "
      "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
      "<Default Extension=\"rels\" "
      "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
      "<Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>";
  files["_rels/.rels"] = "<?xml version=\"1.0\"?><Relationships xmlns=\"" + pkg_rel_ns +
                         "\"><Relationship Id=\"rId1\" Type=\"" + rel_ns +
                         "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
  files["xl/workbook.xml"] = "<?xml version=\"1.0\"?><workbook xmlns=\"" + main_ns +
                             "\" xmlns:r=\"" + rel_ns +
                             "\"><sheets><sheet name=\"Leads\" sheetId=\"1\" r:id=\"rId1\"/>"
                             "</sheets></workbook>";
  files["xl/_rels/workbook.xml.rels"] =
      "<?xml version=\"1.0\"?><Relationships xmlns=\"" + pkg_rel_ns +
      "\"><Relationship Id=\"rId1\" Type=\"" + rel_ns +
      "/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>";
  files["xl/worksheets/sheet1.xml"] = "<?xml version=\"1.0\"?><worksheet xmlns=\"" + main_ns +
                                      "\"><sheetData>" + sheet + "</sheetData></worksheet>";
  return make_zip(files);
}

}  // namespace leadline::test

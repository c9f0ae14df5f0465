#pragma once
// Every limit on what a client may send in a lead enrolment (issue 13, "Hardening"), in one
// place so the README's Limits table and the code cannot drift apart. Over a limit a request
// gets a 4xx naming it and changes nothing; limits on one lead's variables are row errors, so
// ?skip_invalid=true enrols the other rows as usual.
#include <cstddef>

namespace leadline::util::limits {

// --- one request -------------------------------------------------------------------------
inline constexpr size_t kMaxLeadsPerRequest = 100'000;  // JSON "leads" and file data rows
inline constexpr size_t kMaxUploadBytes = 50u << 20;    // the uploaded file (413 above)

// --- multipart/form-data bodies ----------------------------------------------------------
// An upload form has a file and perhaps a few fields; more parts only cost parsing time.
inline constexpr size_t kMaxMultipartParts = 32;
inline constexpr size_t kMaxMultipartHeaderBytes = 8 * 1024;  // one part's header block

// --- tables read from CSV and XLSX files ------------------------------------------------
// All checked while the file is read, so a hostile file stops early instead of first
// filling memory. Rows count data rows (the header is not one), as kMaxLeadsPerRequest.
inline constexpr size_t kMaxFileColumns = 200;
// Excel's own cell limit is 32,767 characters. Larger cells refuse the file; values above
// kMaxVariableValueBytes but within this are row errors instead.
inline constexpr size_t kMaxCellBytes = 32 * 1024;
// rows x header width: the padded table is what memory holds, e.g. 100,000 rows x 40 columns.
inline constexpr size_t kMaxFileCells = 4'000'000;
// The text of all cells together. CSV text is at most the upload itself; an XLSX file can
// repeat one shared string in every cell, which is what this bounds.
inline constexpr size_t kMaxFileTextBytes = 64u << 20;

// --- XLSX (zip) archives ----------------------------------------------------------------
inline constexpr size_t kMaxXlsxEntryBytes = 160u << 20;  // one part, inflated
inline constexpr size_t kMaxXlsxTotalBytes = 256u << 20;  // all parts read, inflated
// Spreadsheet XML deflates 5-30x; a zip bomb reaches ~1000x. Parts up to the floor are
// small enough never to matter.
inline constexpr size_t kMaxXlsxCompressionRatio = 100;
inline constexpr size_t kXlsxCompressionRatioFloorBytes = 1u << 20;
inline constexpr size_t kMaxXlsxSharedStrings = 2'000'000;

// --- one lead's variables (JSON dynamic_variables/metadata, file columns) ----------------
inline constexpr size_t kMaxVariablesPerLead = 100;
inline constexpr size_t kMaxVariableNameBytes = 64;
inline constexpr size_t kMaxVariableValueBytes = 4096;

}  // namespace leadline::util::limits

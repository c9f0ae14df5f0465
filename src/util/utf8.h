#pragma once
// UTF-8 checks and the Windows-1252 fallback for text that clients send as bytes (query
// strings, CSV files). Pure functions, safe from any thread.
#include <string>
#include <string_view>

namespace leadline::util {

// True when `text` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates,
// nothing above U+10FFFF). The databases refuse anything else, so it is checked at the edge.
bool is_valid_utf8(std::string_view text);

// Reads `text` as Windows-1252, the code page spreadsheet programs export "CSV" in, and
// returns it as UTF-8. Every byte maps to one character: 0x80-0x9F through the code page's
// table (0x80 is the euro sign, 0x92 a right single quote), the five bytes it leaves
// undefined to the C1 controls of the same value (as browsers do), the rest to Latin-1.
std::string windows1252_to_utf8(std::string_view text);

}  // namespace leadline::util

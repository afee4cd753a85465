#ifndef ETNIK_SERVICES_REGISTRATION_DOMAIN_CSV_H_
#define ETNIK_SERVICES_REGISTRATION_DOMAIN_CSV_H_

// CSV export of applications and survey responses, opened by organisers in spreadsheets.

#include <string>
#include <vector>

namespace etnik::registration {

// One RFC 4180 record ending in CRLF: fields containing a comma, quote, CR or LF are quoted and
// inner quotes doubled; UTF-8 is kept intact. A cell starting with = + - @ (or tab / CR) gets a
// leading ' so spreadsheets do not run it as a formula.
std::string CsvLine(const std::vector<std::string>& cells);

// The UTF-8 byte order mark; Excel needs it to read a UTF-8 CSV as UTF-8 (Cyrillic).
inline constexpr char kUtf8Bom[] = "\xEF\xBB\xBF";

}  // namespace etnik::registration

#endif  // ETNIK_SERVICES_REGISTRATION_DOMAIN_CSV_H_

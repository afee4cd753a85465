#include "services/registration/domain/csv.h"

namespace etnik::registration {
namespace {

// Spreadsheets treat these leading characters as the start of a formula (or, for tab and CR,
// strip them and then do); a leading apostrophe makes the cell plain text.
bool LooksLikeFormula(const std::string& cell) {
  if (cell.empty()) return false;
  switch (cell.front()) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
      return true;
    default:
      return false;
  }
}

}  // namespace

std::string CsvLine(const std::vector<std::string>& cells) {
  std::string out;
  bool first = true;
  for (const std::string& raw : cells) {
    if (!first) out += ',';
    first = false;
    std::string cell = LooksLikeFormula(raw) ? "'" + raw : raw;
    if (cell.find_first_of(",\"\r\n") == std::string::npos) {
      out += cell;
      continue;
    }
    out += '"';
    for (char c : cell) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  }
  out += "\r\n";
  return out;
}

}  // namespace etnik::registration

#include "services/scheduling/domain/page_token.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/status/errors.h"
#include "services/scheduling/domain/icalendar.h"

namespace etnik::scheduling {
namespace {

constexpr char kSeparator = '\x1f';

absl::Status BadToken() {
  return InvalidArgumentError("invalid page token",
                              {{"page_token", "not a token of this listing; start from the first page"}});
}

}  // namespace

std::string EncodePageToken(absl::string_view filters, const std::vector<std::string>& position) {
  std::string raw = absl::StrCat("1", std::string(1, kSeparator), ContentEtag(filters));
  for (const std::string& p : position) absl::StrAppend(&raw, std::string(1, kSeparator), p);
  return absl::WebSafeBase64Escape(raw);
}

absl::StatusOr<std::vector<std::string>> DecodePageToken(absl::string_view token,
                                                         absl::string_view filters, size_t parts) {
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw)) return BadToken();
  std::vector<std::string> fields = absl::StrSplit(raw, kSeparator);
  if (fields.size() != parts + 2 || fields[0] != "1" || fields[1] != ContentEtag(filters)) {
    return BadToken();
  }
  return std::vector<std::string>(fields.begin() + 2, fields.end());
}

}  // namespace etnik::scheduling

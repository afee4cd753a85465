#include "services/hubs/domain/paging.h"

#include <cstdint>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/status/errors.h"

namespace etnik::hubs {
namespace {

constexpr char kSeparator = '\x1f';  // never in ids; the primary key goes last, so it may hold anything
constexpr char kVersion[] = "p1";

}  // namespace

std::string FilterFingerprint(const std::vector<std::string>& parts) {
  uint64_t hash = 1469598103934665603ULL;
  for (const std::string& part : parts) {
    for (unsigned char c : part) {
      hash ^= c;
      hash *= 1099511628211ULL;
    }
    hash ^= 0xff;  // separates ("ab", "c") from ("a", "bc")
    hash *= 1099511628211ULL;
  }
  return absl::StrFormat("%016x", hash);
}

absl::StatusOr<PageCursor> ParsePageRequest(const PageRequest& request, std::string fingerprint) {
  if (request.page_size < 0) {
    return InvalidArgumentError("page_size must not be negative", {{"page_size", "must be 0 or more"}});
  }
  PageCursor cursor;
  cursor.fingerprint = std::move(fingerprint);
  cursor.limit = request.page_size == 0 ? kDefaultPageSize : std::min(request.page_size, kMaxPageSize);
  if (request.page_token.empty()) return cursor;
  std::string raw;
  std::vector<std::string> parts;
  if (absl::WebSafeBase64Unescape(request.page_token, &raw)) parts = absl::StrSplit(raw, absl::MaxSplits(kSeparator, 3));
  if (parts.size() != 4 || parts[0] != kVersion) {
    return InvalidArgumentError("page_token is not a token this listing returned",
                                {{"page_token", "not a token returned by this method"}});
  }
  if (parts[1] != cursor.fingerprint) {
    return InvalidArgumentError("page_token was made for other filters",
                                {{"page_token", "the filters differ from those of the first page"}});
  }
  cursor.after = SortKey{parts[3], parts[2]};
  return cursor;
}

std::string EncodePageToken(const std::string& fingerprint, const SortKey& last) {
  std::string raw = absl::StrJoin({std::string(kVersion), fingerprint, last.id, last.primary},
                                  std::string(1, kSeparator));
  std::string token;
  absl::WebSafeBase64Escape(raw, &token);
  return token;
}

}  // namespace etnik::hubs

#ifndef ETNIK_SERVICES_HUBS_DOMAIN_PAGING_H_
#define ETNIK_SERVICES_HUBS_DOMAIN_PAGING_H_

// AIP-158 pagination: page sizes and opaque page tokens that resume after the last item's
// sort key (keyset pagination, stable under inserts) and only under the same filters.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace etnik::hubs {

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 1000;

// Position of an item in a listing's order: (primary, id), both compared bytewise.
struct SortKey {
  std::string primary;
  std::string id;
  friend auto operator<=>(const SortKey&, const SortKey&) = default;
  friend bool operator==(const SortKey&, const SortKey&) = default;
};

struct PageRequest {
  int page_size = 0;
  std::string page_token;
};

// A validated request: how many items, and after which key (none for the first page).
struct PageCursor {
  int limit = kDefaultPageSize;
  std::optional<SortKey> after;
  std::string fingerprint;
};

template <typename T>
struct Page {
  std::vector<T> items;
  std::string next_page_token;
  int total_size = 0;
};

// A stable fingerprint of a listing's filters (FNV-1a of the parts), so a token is refused
// when replayed with other filters.
std::string FilterFingerprint(const std::vector<std::string>& parts);

// INVALID_ARGUMENT with a field violation on page_size or page_token when they are bad.
absl::StatusOr<PageCursor> ParsePageRequest(const PageRequest& request, std::string fingerprint);

// The token resuming after `last`.
std::string EncodePageToken(const std::string& fingerprint, const SortKey& last);

}  // namespace etnik::hubs

#endif  // ETNIK_SERVICES_HUBS_DOMAIN_PAGING_H_

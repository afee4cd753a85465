#ifndef ETNIK_SERVICES_SCHEDULING_DOMAIN_PAGE_TOKEN_H_
#define ETNIK_SERVICES_SCHEDULING_DOMAIN_PAGE_TOKEN_H_

// Opaque page tokens: the keyset position of the last row, bound to the listing's filters so a
// token cannot be replayed against another query.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace etnik::scheduling {

std::string EncodePageToken(absl::string_view filters, const std::vector<std::string>& position);

// INVALID_ARGUMENT (field page_token) for a malformed token, one of another query, or one with
// a different number of position parts.
absl::StatusOr<std::vector<std::string>> DecodePageToken(absl::string_view token,
                                                         absl::string_view filters, size_t parts);

}  // namespace etnik::scheduling

#endif  // ETNIK_SERVICES_SCHEDULING_DOMAIN_PAGE_TOKEN_H_

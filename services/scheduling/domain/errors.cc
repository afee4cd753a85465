#include "services/scheduling/domain/errors.h"

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/status/errors.h"

namespace etnik::scheduling {

absl::Status NotFound(absl::string_view what, absl::string_view name) {
  return ErrorWithInfo(absl::StatusCode::kNotFound, absl::StrCat(what, " ", name, " not found"),
                       kReasonNotFound, {{"resource", std::string(name)}});
}

absl::Status EtagMismatch(absl::string_view name, absl::string_view given, absl::string_view current) {
  return ErrorWithInfo(absl::StatusCode::kAborted,
                       absl::StrCat(name, " changed since it was read (etag ", given, ", now ",
                                    current, ")"),
                       kReasonEtagMismatch,
                       {{"resource", std::string(name)}, {"etag", std::string(current)}});
}

std::string Rfc3339Utc(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d%ET%H:%M:%E*SZ", t, absl::UTCTimeZone());
}

}  // namespace etnik::scheduling

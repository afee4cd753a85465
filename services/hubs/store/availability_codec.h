#ifndef ETNIK_SERVICES_HUBS_STORE_AVAILABILITY_CODEC_H_
#define ETNIK_SERVICES_HUBS_STORE_AVAILABILITY_CODEC_H_

// An expert's availability as one text column each: it is always read and written whole with
// the profile and never queried by its parts.
//   weekly:     one line per window, "1|09:00|18:00" (ISO weekday, local start, local end)
//   exceptions: one line per date, "2021-05-12|0|-|-|note" (available 0/1, times or "-" for the
//               whole day, the note C-escaped so it holds no newline)

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/hubs/domain/model.h"

namespace etnik::hubs::store {

std::string EncodeWeekly(const std::vector<AvailabilityWindow>& windows);
absl::StatusOr<std::vector<AvailabilityWindow>> DecodeWeekly(const std::string& text);

std::string EncodeExceptions(const std::vector<AvailabilityException>& exceptions);
absl::StatusOr<std::vector<AvailabilityException>> DecodeExceptions(const std::string& text);

}  // namespace etnik::hubs::store

#endif  // ETNIK_SERVICES_HUBS_STORE_AVAILABILITY_CODEC_H_

#ifndef ETNIK_COMMON_DB_TIME_MICROS_H_
#define ETNIK_COMMON_DB_TIME_MICROS_H_

// Instants are stored as BIGINT microseconds since the Unix epoch, UTC: exact on both engines,
// ordered, free of time-zone and DST interpretation. Columns holding them end in `_us`.

#include <cstdint>

#include "absl/time/time.h"

namespace etnik::db {

// Floors to the microsecond (sub-microsecond parts are dropped towards the past, also before
// 1970). Infinite times saturate to the int64 limits.
inline int64_t TimeToMicros(absl::Time t) { return absl::ToUnixMicros(t); }

inline absl::Time MicrosToTime(int64_t micros) { return absl::FromUnixMicros(micros); }

}  // namespace etnik::db

#endif  // ETNIK_COMMON_DB_TIME_MICROS_H_

#ifndef ETNIK_SERVICES_REGISTRATION_DOMAIN_DEADLINE_H_
#define ETNIK_SERVICES_REGISTRATION_DOMAIN_DEADLINE_H_

// The application deadline, told in the programme's zone ("12 April 2021, Moscow time").

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/registration/domain/messages.h"

namespace etnik::registration {

// ru: "12 апреля 2021 г., 23:59:59 (Europe/Moscow, UTC+03:00)";
// en: "12 April 2021, 23:59:59 (Europe/Moscow, UTC+03:00)". An unknown zone falls back to UTC.
std::string FormatInZone(absl::Time t, absl::string_view iana_zone, Language lang);

// RFC 3339 with the zone's offset, e.g. "2021-04-12T23:59:59+03:00".
std::string Rfc3339InZone(absl::Time t, absl::string_view iana_zone);

// FAILED_PRECONDITION with ErrorInfo reason "DEADLINE_PASSED", metadata {"deadline": RFC 3339
// with the zone's offset, "time_zone": zone}; the message names the deadline via FormatInZone.
// An unknown zone is reported as "UTC" (the time is still right, only told in UTC).
absl::Status DeadlinePassedError(absl::Time deadline, absl::string_view iana_zone, Language lang);

// FAILED_PRECONDITION with ErrorInfo reason "FORM_NOT_OPEN", metadata {"open_time", "time_zone"}.
absl::Status FormNotOpenError(absl::Time open_time, absl::string_view iana_zone, Language lang);

}  // namespace etnik::registration

#endif  // ETNIK_SERVICES_REGISTRATION_DOMAIN_DEADLINE_H_

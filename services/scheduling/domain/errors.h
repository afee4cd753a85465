#ifndef ETNIK_SERVICES_SCHEDULING_DOMAIN_ERRORS_H_
#define ETNIK_SERVICES_SCHEDULING_DOMAIN_ERRORS_H_

// ErrorInfo reasons of the scheduling service. Conflicts carry metadata naming what is in the
// way: conflictingSession (events/{e}/sessions/{s}), resource, conflictStartTime,
// conflictEndTime (RFC 3339 UTC).

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace etnik::scheduling {

inline constexpr char kReasonExpertDoubleBooked[] = "EXPERT_DOUBLE_BOOKED";
inline constexpr char kReasonRoomDoubleBooked[] = "ROOM_DOUBLE_BOOKED";
inline constexpr char kReasonExpertUnavailable[] = "EXPERT_UNAVAILABLE";
inline constexpr char kReasonExpertUnknown[] = "EXPERT_UNKNOWN";
inline constexpr char kReasonOutsideStageWindow[] = "OUTSIDE_STAGE_WINDOW";
inline constexpr char kReasonStageUnknown[] = "STAGE_UNKNOWN";
inline constexpr char kReasonWeeklyLimit[] = "WEEKLY_LIMIT_EXCEEDED";
inline constexpr char kReasonRoomUnknown[] = "ROOM_UNKNOWN";
inline constexpr char kReasonSessionNotScheduled[] = "SESSION_NOT_SCHEDULED";
inline constexpr char kReasonSessionNotOver[] = "SESSION_NOT_OVER";
inline constexpr char kReasonEtagMismatch[] = "ETAG_MISMATCH";
inline constexpr char kReasonNotFound[] = "NOT_FOUND";
inline constexpr char kReasonAlreadyExists[] = "ALREADY_EXISTS";
inline constexpr char kReasonAlreadyRegistered[] = "ALREADY_REGISTERED";
inline constexpr char kReasonRegistrationClosed[] = "REGISTRATION_CLOSED";
inline constexpr char kReasonNotRegistered[] = "NOT_REGISTERED";
inline constexpr char kReasonCapacityBelowRegistered[] = "CAPACITY_BELOW_REGISTERED";
inline constexpr char kReasonEventHasSessions[] = "EVENT_HAS_SESSIONS";
// From the SchedulingTx::Reserve port: metadata holder, holderStartTime, holderEndTime.
inline constexpr char kReasonResourceConflict[] = "RESOURCE_CONFLICT";
inline constexpr char kReasonPermissionDenied[] = "PERMISSION_DENIED";
inline constexpr char kReasonRequestReused[] = "REQUEST_ID_REUSED";

// NOT_FOUND naming the resource.
absl::Status NotFound(absl::string_view what, absl::string_view name);
// ABORTED: the client's etag is stale.
absl::Status EtagMismatch(absl::string_view name, absl::string_view given, absl::string_view current);
// RFC 3339 in UTC, for error metadata.
std::string Rfc3339Utc(absl::Time t);

}  // namespace etnik::scheduling

#endif  // ETNIK_SERVICES_SCHEDULING_DOMAIN_ERRORS_H_

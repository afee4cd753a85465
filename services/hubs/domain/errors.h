#ifndef ETNIK_SERVICES_HUBS_DOMAIN_ERRORS_H_
#define ETNIK_SERVICES_HUBS_DOMAIN_ERRORS_H_

// ErrorInfo reasons of the hubs service and helpers that build its errors.

#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace etnik::hubs {

// FAILED_PRECONDITION: publishing, or removing an expert from a published hub, would leave
// fewer than 3 experts. Metadata: hub, expert_count, min_experts.
inline constexpr char kReasonTooFewExperts[] = "HUB_TOO_FEW_EXPERTS";
// FAILED_PRECONDITION: the hub already has 5 experts. Metadata: hub, expert_count, max_experts.
inline constexpr char kReasonTooManyExperts[] = "HUB_EXPERT_LIMIT_REACHED";
// ALREADY_EXISTS: the expert is already in the hub.
inline constexpr char kReasonExpertAlreadyInHub[] = "EXPERT_ALREADY_IN_HUB";
// NOT_FOUND: the expert is not in the hub.
inline constexpr char kReasonExpertNotInHub[] = "EXPERT_NOT_IN_HUB";
// FAILED_PRECONDITION: the expert still belongs to hubs. Metadata: hubs.
inline constexpr char kReasonExpertHasHubs[] = "EXPERT_IN_HUBS";
// ALREADY_EXISTS: another profile has the same e-mail. Metadata: expert (the existing one).
inline constexpr char kReasonDuplicateExpert[] = "DUPLICATE_EXPERT";
// FAILED_PRECONDITION: the operation needs another hub state. Metadata: hub, state.
inline constexpr char kReasonWrongHubState[] = "HUB_WRONG_STATE";
// FAILED_PRECONDITION: the participant is not a confirmed participant of the hub's programme.
inline constexpr char kReasonParticipantNotConfirmed[] = "PARTICIPANT_NOT_CONFIRMED";
// FAILED_PRECONDITION: the hub has no participant seat left. Metadata: hub, capacity.
inline constexpr char kReasonHubFull[] = "HUB_PARTICIPANT_CAPACITY_REACHED";
// ABORTED: the etag sent is not the current one. Metadata: resource, etag (current).
inline constexpr char kReasonEtagMismatch[] = "ETAG_MISMATCH";
// ALREADY_EXISTS: the resource id is taken. Metadata: resource.
inline constexpr char kReasonAlreadyExists[] = "RESOURCE_ALREADY_EXISTS";
// NOT_FOUND. Metadata: resource.
inline constexpr char kReasonNotFound[] = "RESOURCE_NOT_FOUND";
// INVALID_ARGUMENT: a request_id was reused for a different request.
inline constexpr char kReasonRequestIdReused[] = "REQUEST_ID_REUSED";

// NOT_FOUND naming the resource, e.g. NotFound("hubs/media").
absl::Status NotFound(absl::string_view resource);

// ALREADY_EXISTS with an ErrorInfo reason and one field violation pointing at the culprit.
absl::Status AlreadyExists(absl::string_view message, absl::string_view reason, absl::string_view field,
                           std::map<std::string, std::string> metadata);

// FAILED_PRECONDITION with an ErrorInfo reason.
absl::Status FailedPrecondition(absl::string_view message, absl::string_view reason,
                                std::map<std::string, std::string> metadata);

}  // namespace etnik::hubs

#endif  // ETNIK_SERVICES_HUBS_DOMAIN_ERRORS_H_

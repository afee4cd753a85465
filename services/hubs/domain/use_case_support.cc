#include "services/hubs/domain/use_case_support.h"

#include "absl/strings/str_format.h"
#include "common/ids/ids.h"
#include "common/status/errors.h"
#include "services/hubs/domain/errors.h"
#include "services/hubs/domain/hubs_use_cases.h"

namespace etnik::hubs {

std::string EtagOf(int64_t version, absl::Time create_time) {
  return absl::StrFormat("%d-%x", version, absl::ToUnixMicros(create_time));
}

std::string CatalogueProgrammeKey(const std::string& programme) {
  return absl::StrCat("programme:", programme.empty() ? "-" : programme);
}

std::string CatalogueHubKey(const std::string& hub_id) { return absl::StrCat("hub:", hub_id); }

namespace internal {

absl::Status CheckEtag(const std::string& sent, const std::string& resource, int64_t version,
                       absl::Time create_time) {
  if (sent.empty()) return absl::OkStatus();
  std::string current = EtagOf(version, create_time);
  if (sent == current) return absl::OkStatus();
  return ErrorWithInfo(absl::StatusCode::kAborted,
                       absl::StrCat(resource, " has changed since it was read (etag ", sent, ", now ", current,
                                    "); read it again and retry"),
                       kReasonEtagMismatch, {{"resource", resource}, {"etag", current}});
}

absl::Status CheckRequestId(const std::string& request_id) {
  if (request_id.size() > 128) {
    return InvalidArgumentError("request_id is too long", {{"request_id", "at most 128 characters"}});
  }
  for (unsigned char c : request_id) {
    if (c <= 0x20 || c == 0x7f) {
      return InvalidArgumentError("request_id has a space or control character",
                                  {{"request_id", "printable characters only, such as a UUID"}});
    }
  }
  return absl::OkStatus();
}

absl::Status CheckResourceId(const std::string& id, const std::string& field) {
  if (id.empty() || IsValidResourceId(id)) return absl::OkStatus();
  return InvalidArgumentError(absl::StrCat(field, " is not a resource id"),
                              {{field, "lowercase latin letters, digits and '-', starting with a letter, "
                                       "at most 63 characters"}});
}

absl::StatusOr<std::optional<std::string>> Replay(HubsTransaction& tx, const std::string& method,
                                                  const std::string& request_id, const std::string& fingerprint) {
  if (request_id.empty()) return std::optional<std::string>();
  absl::StatusOr<std::optional<IdempotencyRecord>> record = tx.FindRequest(method, request_id);
  if (!record.ok()) return record.status();
  if (!record->has_value()) return std::optional<std::string>();
  if ((*record)->fingerprint != fingerprint) {
    absl::Status status = ErrorWithInfo(absl::StatusCode::kInvalidArgument,
                                        "request_id was already used for a different request",
                                        kReasonRequestIdReused, {{"method", method}});
    absl::Status details = InvalidArgumentError("", {{"request_id", "already used for a different request"}});
    details.ForEachPayload([&](absl::string_view url, const absl::Cord& p) { status.SetPayload(url, p); });
    return status;
  }
  return std::optional<std::string>((*record)->result);
}

absl::Status Remember(HubsTransaction& tx, const std::string& method, const std::string& request_id,
                      const std::string& fingerprint, const std::string& result, absl::Time now) {
  if (request_id.empty()) return absl::OkStatus();
  return tx.SaveRequest(method, request_id, {fingerprint, result}, now);
}

std::string StateName(HubState state) {
  switch (state) {
    case HubState::kDraft:
      return "draft";
    case HubState::kPublished:
      return "published";
    case HubState::kClosed:
      return "closed";
  }
  return "unknown";
}

absl::Status WrongState(const Hub& hub, const std::string& what) {
  return FailedPrecondition(absl::StrCat("cannot ", what, ": hubs/", hub.id, " is ", StateName(hub.state)),
                            kReasonWrongHubState, {{"hub", HubName(hub.id)}, {"state", StateName(hub.state)}});
}

absl::StatusOr<Hub> LoadHub(HubsTransaction& tx, const std::string& id) {
  absl::StatusOr<std::optional<Hub>> hub = tx.FindHub(id);
  if (!hub.ok()) return hub.status();
  if (!hub->has_value()) return NotFound(HubName(id));
  return **hub;
}

absl::StatusOr<Expert> LoadExpert(HubsTransaction& tx, const std::string& id) {
  absl::StatusOr<std::optional<Expert>> expert = tx.FindExpert(id);
  if (!expert.ok()) return expert.status();
  if (!expert->has_value()) return NotFound(ExpertName(id));
  return **expert;
}

void AddHubKeys(const Hub& hub, std::vector<std::string>& keys) {
  keys.push_back(CatalogueHubKey(hub.id));
  keys.push_back(CatalogueProgrammeKey(hub.programme));
  keys.push_back(CatalogueProgrammeKey(""));
}

}  // namespace internal
}  // namespace etnik::hubs

#ifndef ETNIK_SERVICES_REGISTRATION_API_SUPPORT_H_
#define ETNIK_SERVICES_REGISTRATION_API_SUPPORT_H_

// Helpers shared by the handler files: resource names, page tokens, etags, request ids,
// timestamps, masks and the cached public reads.

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/status/errors.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"
#include "google/protobuf/timestamp.pb.h"
#include "etnik/registration/v1/programme.pb.h"
#include "services/registration/api/service_context.h"

namespace etnik::registration::api {

// ru or en by the caller's language.
std::string Tr(Language lang, absl::string_view ru, absl::string_view en);

// INVALID_ARGUMENT with one violation.
absl::Status BadField(Language lang, absl::string_view field, absl::string_view ru, absl::string_view en);

// Resource names. Each returns INVALID_ARGUMENT (a violation on `field`) when malformed.
struct ProgrammeRef {
  std::string name;  // programmes/{p}
  std::string id;
};
struct ChildRef {
  std::string programme;  // programmes/{p}
  std::string name;       // programmes/{p}/{collection}/{id}
  std::string id;
};
absl::StatusOr<ProgrammeRef> ParseProgramme(absl::string_view name, absl::string_view field, Language lang);
absl::StatusOr<ChildRef> ParseForm(absl::string_view name, absl::string_view field, Language lang);
absl::StatusOr<ChildRef> ParseApplication(absl::string_view name, absl::string_view field, Language lang);
// A caller-chosen id ([a-z][a-z0-9-]{0,62}), or a new one when empty.
absl::StatusOr<std::string> ChooseId(absl::string_view requested, absl::string_view field, Language lang);

// Offset pages behind opaque tokens bound to the listing's filters.
struct PageWindow {
  int offset = 0;
  int limit = 50;
  std::string fingerprint;
};
absl::StatusOr<PageWindow> ParsePage(int page_size, absl::string_view token, const std::vector<std::string>& filters,
                                     Language lang);
// The token of the page after `window` when `total` items exist; empty on the last page.
std::string NextPageToken(const PageWindow& window, int total);

// ABORTED with reason ETAG_MISMATCH when `sent` is set and differs from `current`.
absl::Status CheckEtag(absl::string_view sent, absl::string_view current, absl::string_view resource);

// NOT_FOUND naming the resource.
absl::Status NotFound(absl::string_view resource);

// The stored answer of an earlier call with the same request id, parsed into `out`; false
// when there is none (or no request id).
absl::StatusOr<bool> RecallResult(soci::session& s, const std::string& scope, const std::string& request_id,
                                  google::protobuf::Message* out);
// Stores a call's answer under its request id (nothing without one), in the caller's transaction.
absl::Status RememberResult(soci::session& s, const std::string& scope, const std::string& request_id,
                            const google::protobuf::Message& result, absl::Time now);
// The programme, or NOT_FOUND.
absl::StatusOr<v1::Programme> LoadProgrammeOr404(soci::session& s, const std::string& name);

// Runs `work` in one write transaction, idempotent by `request_id`: a repeat of (scope,
// request_id) returns the stored result in `out` without running `work` again. `work` fills
// `out`; the result is stored in the same transaction. Notifies the outbox after the commit.
absl::Status RunIdempotent(ServiceContext& ctx, const std::string& scope, const std::string& request_id,
                           google::protobuf::Message* out, const std::function<absl::Status(soci::session&)>& work);

google::protobuf::Timestamp ToProto(absl::Time t);
absl::Time FromProto(const google::protobuf::Timestamp& t);
bool IsSet(const google::protobuf::Timestamp& t);

// Copies the fields named by `mask` (all of `allowed` when empty) from `from` into `to`;
// INVALID_ARGUMENT on update_mask when a path's first segment is not in `allowed`.
absl::Status ApplyMask(const google::protobuf::Message& from, const google::protobuf::FieldMask& mask,
                       const std::vector<std::string>& allowed, google::protobuf::Message* to, Language lang);

// Cache keys of the public reads.
std::string ProgrammeKey(absl::string_view programme_name);
inline constexpr char kProgrammeListKey[] = "programmes";
std::string FormKey(absl::string_view form_name);
std::string FormListKey(absl::string_view programme_name);

// The cached bytes of `key`, or `load()` (also when there is no cache).
absl::StatusOr<std::string> CachedRead(ServiceContext& ctx, absl::string_view key,
                                       const std::function<absl::StatusOr<std::string>()>& load);
// Drops cached keys after a commit; a Redis failure is logged, never returned.
void Invalidate(ServiceContext& ctx, const std::vector<std::string>& keys);

}  // namespace etnik::registration::api

#endif  // ETNIK_SERVICES_REGISTRATION_API_SUPPORT_H_

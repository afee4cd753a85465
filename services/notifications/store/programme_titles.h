#ifndef ETNIK_SERVICES_NOTIFICATIONS_STORE_PROGRAMME_TITLES_H_
#define ETNIK_SERVICES_NOTIFICATIONS_STORE_PROGRAMME_TITLES_H_

// Programme titles as registration's ProgrammeStageChanged events tell them, so that messages
// about applications and offers name the programme as people know it, not by its resource name.

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "etnik/common/v1/text.pb.h"

namespace soci {
class session;
}  // namespace soci

namespace etnik::notifications::store {

absl::Status SaveProgrammeTitle(soci::session& s, const std::string& programme,
                                const etnik::common::v1::LocalizedText& title);
absl::StatusOr<std::optional<etnik::common::v1::LocalizedText>> FindProgrammeTitle(soci::session& s,
                                                                                   const std::string& programme);

}  // namespace etnik::notifications::store

#endif  // ETNIK_SERVICES_NOTIFICATIONS_STORE_PROGRAMME_TITLES_H_

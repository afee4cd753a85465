#ifndef ETNIK_SERVICES_HUBS_MAPPING_COMMON_MAPPING_H_
#define ETNIK_SERVICES_HUBS_MAPPING_COMMON_MAPPING_H_

// Domain values <-> etnik.common.v1 messages and well-known types.

#include <vector>

#include "absl/time/time.h"
#include "etnik/common/v1/contact.pb.h"
#include "etnik/common/v1/text.pb.h"
#include "etnik/common/v1/time.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "services/hubs/domain/model.h"

namespace etnik::hubs::mapping {

void ToProto(const LocalizedText& in, etnik::common::v1::LocalizedText* out);
LocalizedText FromProto(const etnik::common::v1::LocalizedText& in);

void ToProto(const Contact& in, etnik::common::v1::ContactInfo* out);
Contact FromProto(const etnik::common::v1::ContactInfo& in);

etnik::common::v1::Language ToProto(Language in);
Language FromProto(etnik::common::v1::Language in);

void ToProto(const AvailabilityWindow& in, etnik::common::v1::AvailabilityWindow* out);
AvailabilityWindow FromProto(const etnik::common::v1::AvailabilityWindow& in);
void ToProto(const AvailabilityException& in, etnik::common::v1::AvailabilityException* out);
AvailabilityException FromProto(const etnik::common::v1::AvailabilityException& in);

// The epoch is our "never": such times are left unset on the wire.
inline bool IsSet(absl::Time t) { return t != absl::UnixEpoch(); }
void ToProto(absl::Time in, google::protobuf::Timestamp* out);
absl::Time FromProto(const google::protobuf::Timestamp& in);

}  // namespace etnik::hubs::mapping

#endif  // ETNIK_SERVICES_HUBS_MAPPING_COMMON_MAPPING_H_

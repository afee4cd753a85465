#ifndef ETNIK_SERVICES_SCHEDULING_API_MAPPING_H_
#define ETNIK_SERVICES_SCHEDULING_API_MAPPING_H_

// Protobuf <-> domain conversions of the scheduling API. Input conversions report unusable
// values (unknown enum numbers, timestamps out of range) as field violations.

#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/status/errors.h"
#include "etnik/scheduling/v1/scheduling_service.pb.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "services/scheduling/domain/scheduler.h"

namespace etnik::scheduling::api {

namespace pb = etnik::scheduling::v1;
namespace cpb = etnik::common::v1;

// Violations collected while reading a request.
using Violations = std::vector<FieldViolation>;
absl::Status ViolationsStatus(const Violations& v);

// Timestamps: an unset one is absl::InfinitePast() (the domain reports it as required).
absl::Time TimeFrom(const google::protobuf::Timestamp& ts, bool present, const std::string& field,
                    Violations& v);
void SetTimestamp(google::protobuf::Timestamp* ts, absl::Time t);
absl::Duration DurationFrom(const google::protobuf::Duration& d);

LocalizedText TextFrom(const cpb::LocalizedText& t);
void SetText(cpb::LocalizedText* out, const LocalizedText& in);
std::set<std::string> MaskFields(const google::protobuf::FieldMask& mask);

EventKind KindFrom(int value, const std::string& field, Violations& v);

Venue VenueFrom(const pb::Venue& in);
void ToProto(const Venue& in, pb::Venue* out);
Event EventFrom(const pb::Event& in, Violations& v);
void ToProto(const Event& in, pb::Event* out);
Session SessionFrom(const pb::Session& in, Violations& v);
// `with_access_code` false blanks the online room's access code.
void ToProto(const Session& in, bool with_access_code, pb::Session* out);
Attendee AttendeeFrom(const pb::Attendee& in);
void ToProto(const Attendee& in, pb::Attendee* out);
void ToProto(const AttendanceReport& in, pb::Attendance* out);
void ToProto(const ProgressReport& in, pb::ProgrammeProgress* out);

// RFC 3339 with the zone's offset, e.g. 2021-05-20T15:00:00+03:00.
std::string LocalRfc3339(absl::Time t, const absl::TimeZone& zone);

}  // namespace etnik::scheduling::api

#endif  // ETNIK_SERVICES_SCHEDULING_API_MAPPING_H_

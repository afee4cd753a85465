#include "services/scheduling/domain/booking_rules.h"

#include "common/status/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/scheduling/domain/errors.h"

namespace etnik::scheduling {
namespace {

using ::testing::Contains;
using ::testing::Field;

absl::Time Utc(int y, int mo, int d, int h, int mi = 0) {
  return absl::FromCivil(absl::CivilMinute(y, mo, d, h, mi), absl::UTCTimeZone());
}

Event Webinar() {
  Event e;
  e.id = "w";
  e.programme = "programmes/etnik-2021";
  e.stage = "programmes/etnik-2021/stages/practice";
  e.kind = EventKind::kWebinar;
  e.title.ru = "Вебинар";
  e.hub = "hubs/media";
  e.time_zone = "Europe/Moscow";
  return e;
}

Session Online() {
  Session s;
  s.start = Utc(2021, 6, 1, 12);
  s.end = Utc(2021, 6, 1, 13);
  s.time_zone = "Europe/Moscow";
  s.hosts = {"experts/anna", "experts/boris"};
  s.online_room.join_uri = "https://meet.example/abc";
  return s;
}

TEST(BookingRules, ClaimsWidenExpertsByTheBufferButNotTheRoom) {
  Session s = Online();
  s.online_room = {};
  s.room = "venues/hotel/rooms/hall";
  BookingPolicy policy;
  policy.expert_buffer = absl::Minutes(15);
  std::vector<Claim> claims = ClaimsFor(s, policy);
  ASSERT_EQ(claims.size(), 3u);
  EXPECT_EQ(claims[0].resource, "experts/anna");
  EXPECT_EQ(claims[0].range.end, s.end + absl::Minutes(15));
  EXPECT_EQ(claims[2].resource, "venues/hotel/rooms/hall");
  EXPECT_EQ(claims[2].range, s.interval());
  // Back-to-back sessions of one expert overlap once widened; with the buffer left free they
  // do not.
  Session next = s;
  next.start = s.end;
  next.end = s.end + absl::Hours(1);
  EXPECT_TRUE(ClaimsFor(s, policy)[0].range.Overlaps(ClaimsFor(next, policy)[0].range));
  next.start = s.end + absl::Minutes(15);
  EXPECT_FALSE(ClaimsFor(s, policy)[0].range.Overlaps(ClaimsFor(next, policy)[0].range));
}

TEST(BookingRules, FieldViolationsNameEveryBadField) {
  Session s = Online();
  s.end = s.start;
  s.time_zone = "Moscow";
  s.hosts = {"experts/anna", "anna", "experts/anna"};
  s.online_room.join_uri = "meet";
  s.capacity = -1;
  s.track = "nope";
  absl::Status status = ValidateSessionFields(s, Webinar(), nullptr, "session");
  ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  std::vector<FieldViolation> v = GetFieldViolations(status);
  for (const char* field : {"session.end_time", "session.time_zone", "session.hosts[1]",
                            "session.hosts[2]", "session.online_room.join_uri", "session.capacity",
                            "session.track"}) {
    EXPECT_THAT(v, Contains(Field(&FieldViolation::field, field))) << field;
  }
  EXPECT_TRUE(ValidateSessionFields(Online(), Webinar(), nullptr, "session").ok());
}

TEST(BookingRules, KindsNeedTheirPlace) {
  Event seminar = Webinar();
  seminar.kind = EventKind::kSeminar;
  seminar.venue = "venues/hotel";
  Venue hotel;
  hotel.id = "hotel";
  hotel.rooms = {{"hall", {"Зал", ""}, 40}};
  Session s = Online();
  absl::Status online_seminar = ValidateSessionFields(s, seminar, &hotel, "session");
  EXPECT_THAT(GetFieldViolations(online_seminar), Contains(Field(&FieldViolation::field, "session.room")));
  s.online_room = {};
  s.room = "venues/hotel/rooms/hall";
  EXPECT_TRUE(ValidateSessionFields(s, seminar, &hotel, "session").ok());
  s.capacity = 41;
  EXPECT_THAT(GetFieldViolations(ValidateSessionFields(s, seminar, &hotel, "session")),
              Contains(Field(&FieldViolation::field, "session.capacity")));
  s.capacity = 0;
  s.room = "venues/other/rooms/hall";
  EXPECT_FALSE(ValidateSessionFields(s, seminar, &hotel, "session").ok());
  // A webinar in a room is refused: webinars are online.
  Session in_room = Online();
  in_room.online_room = {};
  in_room.room = "venues/hotel/rooms/hall";
  EXPECT_FALSE(ValidateSessionFields(in_room, Webinar(), &hotel, "session").ok());
  EXPECT_EQ(EffectiveCapacity(s, seminar, &hotel.rooms[0]), 40);
}

TEST(BookingRules, StageWindowAndConflictErrorsCarryTheirFacts) {
  StageWindow stage;
  stage.stage = "programmes/etnik-2021/stages/practice";
  stage.window = {Utc(2021, 5, 1, 0), Utc(2021, 10, 1, 0)};
  EXPECT_TRUE(CheckStageWindow({Utc(2021, 6, 1, 12), Utc(2021, 6, 1, 13)}, stage).ok());
  absl::Status outside = CheckStageWindow({Utc(2021, 9, 30, 23), Utc(2021, 10, 1, 1)}, stage);
  EXPECT_EQ(outside.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(GetErrorInfo(outside)->reason, kReasonOutsideStageWindow);
  EXPECT_EQ(GetErrorInfo(outside)->metadata["windowEndTime"], "2021-10-01T00:00:00Z");

  Session other = Online();
  other.event_id = "w";
  other.id = "first";
  absl::Status conflict = ConflictError("experts/anna", other.name(), &other, {});
  EXPECT_EQ(conflict.code(), absl::StatusCode::kFailedPrecondition);
  std::optional<ErrorInfo> info = GetErrorInfo(conflict);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->reason, kReasonExpertDoubleBooked);
  EXPECT_EQ(info->metadata["conflictingSession"], "events/w/sessions/first");
  EXPECT_EQ(info->metadata["conflictStartTime"], "2021-06-01T12:00:00Z");
  EXPECT_EQ(GetErrorInfo(ConflictError("venues/h/rooms/r", "x", nullptr, {}))->reason,
            kReasonRoomDoubleBooked);
}

TEST(BookingRules, WeeklyLimitPrefersTheExpertsOwn) {
  BookingPolicy policy;
  policy.weekly_limit = 3;
  ExpertProfile e;
  e.time_zone = "Asia/Vladivostok";
  EXPECT_EQ(WeeklyLimitOf(e, policy), 3);
  e.weekly_session_limit = 1;
  EXPECT_EQ(WeeklyLimitOf(e, policy), 1);
  // Monday 00:30 in Vladivostok is still Sunday in UTC: the week follows the expert's clock.
  Interval week = LimitWeek(e, Utc(2021, 5, 16, 14, 30));
  EXPECT_EQ(week.start, Utc(2021, 5, 16, 14));
}

}  // namespace
}  // namespace etnik::scheduling

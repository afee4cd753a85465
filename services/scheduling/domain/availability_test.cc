#include "services/scheduling/domain/availability.h"

#include "gtest/gtest.h"

namespace etnik::scheduling {
namespace {

absl::Time Utc(int y, int mo, int d, int h, int mi = 0) {
  return absl::FromCivil(absl::CivilMinute(y, mo, d, h, mi), absl::UTCTimeZone());
}

absl::Time Local(const char* zone_name, int y, int mo, int d, int h, int mi = 0) {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone(zone_name, &zone));
  return absl::FromCivil(absl::CivilMinute(y, mo, d, h, mi), zone);
}

ExpertProfile Expert(const char* zone, std::vector<WeeklyWindow> weekly) {
  ExpertProfile p;
  p.expert = "experts/e";
  p.time_zone = zone;
  p.weekly = std::move(weekly);
  return p;
}

TEST(Availability, BerlinWindowFollowsDaylightSavingTime) {
  // Mondays 10:00-18:00 Berlin time: 09:00-17:00 UTC in winter, 08:00-16:00 UTC in summer.
  ExpertProfile p = Expert("Europe/Berlin", {{absl::Weekday::monday, 10 * 60, 18 * 60}});
  auto before = AvailableIntervals(p, {Utc(2021, 3, 22, 0), Utc(2021, 3, 23, 0)});
  ASSERT_TRUE(before.ok()) << before.status();
  ASSERT_EQ(before->size(), 1u);
  EXPECT_EQ((*before)[0], (Interval{Utc(2021, 3, 22, 9), Utc(2021, 3, 22, 17)}));
  auto after = AvailableIntervals(p, {Utc(2021, 3, 29, 0), Utc(2021, 3, 30, 0)});
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ((*after)[0], (Interval{Utc(2021, 3, 29, 8), Utc(2021, 3, 29, 16)}));
  // 10:00-11:00 local fits on both sides of the change; 17:30-18:30 local never does.
  EXPECT_TRUE(*IsAvailable(p, {Local("Europe/Berlin", 2021, 3, 22, 10), Local("Europe/Berlin", 2021, 3, 22, 11)}));
  EXPECT_TRUE(*IsAvailable(p, {Local("Europe/Berlin", 2021, 3, 29, 10), Local("Europe/Berlin", 2021, 3, 29, 11)}));
  EXPECT_FALSE(*IsAvailable(p, {Local("Europe/Berlin", 2021, 3, 29, 17, 30), Local("Europe/Berlin", 2021, 3, 29, 18, 30)}));
  // The UTC slot that was fine in winter (09:00-10:00 UTC = 10:00 local) is 11:00 local in
  // summer and still fine; 16:30 UTC is 17:30 winter (fine) but 18:30 summer (not).
  EXPECT_TRUE(*IsAvailable(p, {Utc(2021, 3, 22, 16), Utc(2021, 3, 22, 16, 59)}));
  EXPECT_FALSE(*IsAvailable(p, {Utc(2021, 3, 29, 16), Utc(2021, 3, 29, 16, 59)}));
}

TEST(Availability, FarEastAndWestZonesMapToTheirOwnClock) {
  // Vladivostok (+10) and Kaliningrad (+2) experts both free Tuesdays 09:00-12:00 local.
  ExpertProfile vl = Expert("Asia/Vladivostok", {{absl::Weekday::tuesday, 9 * 60, 12 * 60}});
  ExpertProfile kg = Expert("Europe/Kaliningrad", {{absl::Weekday::tuesday, 9 * 60, 12 * 60}});
  auto v = AvailableIntervals(vl, {Utc(2021, 5, 17, 0), Utc(2021, 5, 20, 0)});
  auto k = AvailableIntervals(kg, {Utc(2021, 5, 17, 0), Utc(2021, 5, 20, 0)});
  ASSERT_TRUE(v.ok() && k.ok());
  ASSERT_EQ(v->size(), 1u);
  ASSERT_EQ(k->size(), 1u);
  EXPECT_EQ((*v)[0], (Interval{Utc(2021, 5, 17, 23), Utc(2021, 5, 18, 2)}));
  EXPECT_EQ((*k)[0], (Interval{Utc(2021, 5, 18, 7), Utc(2021, 5, 18, 10)}));
  // No common hour: a joint session cannot be found in that week.
  EXPECT_TRUE(Intersect(*v, *k).empty());
}

TEST(Availability, WindowsAcrossMidnightJoin) {
  ExpertProfile p = Expert("Europe/Moscow", {{absl::Weekday::monday, 22 * 60, 24 * 60},
                                             {absl::Weekday::tuesday, 0, 2 * 60}});
  EXPECT_TRUE(*IsAvailable(p, {Local("Europe/Moscow", 2021, 5, 17, 23), Local("Europe/Moscow", 2021, 5, 18, 1)}));
  EXPECT_FALSE(*IsAvailable(p, {Local("Europe/Moscow", 2021, 5, 17, 23), Local("Europe/Moscow", 2021, 5, 18, 3)}));
}

TEST(Availability, DatedExceptionsRemoveAndAdd) {
  ExpertProfile p = Expert("Europe/Moscow", {{absl::Weekday::monday, 10 * 60, 18 * 60}});
  AvailabilityException holiday;
  holiday.date = absl::CivilDay(2021, 5, 3);  // a Monday off
  holiday.available = false;
  AvailabilityException afternoon;  // ...except 14:00-16:00
  afternoon.date = absl::CivilDay(2021, 5, 3);
  afternoon.available = true;
  afternoon.start = 14 * 60;
  afternoon.end = 16 * 60;
  AvailabilityException saturday;  // an extra Saturday morning
  saturday.date = absl::CivilDay(2021, 5, 8);
  saturday.available = true;
  saturday.start = 9 * 60;
  saturday.end = 12 * 60;
  p.exceptions = {holiday, afternoon, saturday};
  EXPECT_FALSE(*IsAvailable(p, {Local("Europe/Moscow", 2021, 5, 3, 10), Local("Europe/Moscow", 2021, 5, 3, 11)}));
  EXPECT_TRUE(*IsAvailable(p, {Local("Europe/Moscow", 2021, 5, 3, 14), Local("Europe/Moscow", 2021, 5, 3, 16)}));
  EXPECT_TRUE(*IsAvailable(p, {Local("Europe/Moscow", 2021, 5, 10, 10), Local("Europe/Moscow", 2021, 5, 10, 11)}));
  EXPECT_TRUE(*IsAvailable(p, {Local("Europe/Moscow", 2021, 5, 8, 9), Local("Europe/Moscow", 2021, 5, 8, 12)}));
  EXPECT_FALSE(*IsAvailable(p, {Local("Europe/Moscow", 2021, 5, 15, 9), Local("Europe/Moscow", 2021, 5, 15, 12)}));
}

TEST(Availability, NoWindowsMeansNeverAndBadZoneIsAnError) {
  EXPECT_FALSE(*IsAvailable(Expert("Europe/Moscow", {}), {Utc(2021, 5, 17, 9), Utc(2021, 5, 17, 10)}));
  EXPECT_EQ(IsAvailable(Expert("Mars/Olympus", {}), {Utc(2021, 5, 17, 9), Utc(2021, 5, 17, 10)}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(ValidateExpertProfile(Expert("Europe/Moscow", {{absl::Weekday::monday, 600, 500}})).ok());
  EXPECT_TRUE(ValidateExpertProfile(Expert("Europe/Moscow", {{absl::Weekday::monday, 500, 1440}})).ok());
}

TEST(Availability, WeekOfIsMondayToMondayInTheZone) {
  absl::TimeZone berlin;
  ASSERT_TRUE(absl::LoadTimeZone("Europe/Berlin", &berlin));
  // The week of the DST change is an hour short.
  Interval week = WeekOf(Local("Europe/Berlin", 2021, 3, 31, 12), berlin);
  EXPECT_EQ(week.start, Local("Europe/Berlin", 2021, 3, 29, 0));
  Interval dst_week = WeekOf(Local("Europe/Berlin", 2021, 3, 24, 12), berlin);
  EXPECT_EQ(dst_week.length(), absl::Hours(24 * 7 - 1));
  // Sunday evening belongs to the week that started on the Monday before.
  EXPECT_EQ(WeekOf(Local("Europe/Berlin", 2021, 4, 4, 23), berlin).start, week.start);
}

TEST(Interval, SetOperations) {
  auto t = [](int h) { return Utc(2021, 1, 1, h); };
  std::vector<Interval> a = Normalize({{t(5), t(7)}, {t(1), t(3)}, {t(2), t(4)}, {t(7), t(8)}});
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0], (Interval{t(1), t(4)}));
  EXPECT_EQ(a[1], (Interval{t(5), t(8)}));
  std::vector<Interval> cut = Subtract(a, {{t(2), t(3)}, {t(6), t(9)}});
  ASSERT_EQ(cut.size(), 3u);
  EXPECT_EQ(cut[0], (Interval{t(1), t(2)}));
  EXPECT_EQ(cut[1], (Interval{t(3), t(4)}));
  EXPECT_EQ(cut[2], (Interval{t(5), t(6)}));
  EXPECT_EQ(Intersect(a, {{t(3), t(6)}}), (std::vector<Interval>{{t(3), t(4)}, {t(5), t(6)}}));
  EXPECT_TRUE(Covers(a, {t(5), t(8)}));
  EXPECT_FALSE(Covers(a, {t(3), t(6)}));
}

}  // namespace
}  // namespace etnik::scheduling

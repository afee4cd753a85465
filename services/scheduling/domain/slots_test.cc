#include "services/scheduling/domain/slots.h"

#include "gtest/gtest.h"

namespace etnik::scheduling {
namespace {

absl::Time Msk(int y, int mo, int d, int h, int mi = 0) {
  absl::TimeZone zone;
  absl::LoadTimeZone("Europe/Moscow", &zone);
  return absl::FromCivil(absl::CivilMinute(y, mo, d, h, mi), zone);
}

SlotHost Host(const char* zone, std::vector<WeeklyWindow> weekly) {
  SlotHost h;
  h.profile.expert = "experts/x";
  h.profile.time_zone = zone;
  h.profile.weekly = std::move(weekly);
  return h;
}

SlotSearch Search() {
  SlotSearch s;
  // Monday 17 May 2021 to Sunday 23 May, Moscow.
  s.range = {Msk(2021, 5, 17, 0), Msk(2021, 5, 24, 0)};
  s.duration = absl::Hours(1);
  absl::LoadTimeZone("Europe/Moscow", &s.zone);
  s.max_results = 3;
  return s;
}

TEST(Slots, EarliestCommonFreeTimeHonoursBusyRangesAndBuffer) {
  SlotSearch s = Search();
  SlotHost a = Host("Europe/Moscow", {{absl::Weekday::monday, 10 * 60, 14 * 60}});
  SlotHost b = Host("Europe/Moscow", {{absl::Weekday::monday, 11 * 60, 18 * 60}});
  // b is booked 11:00-12:00 (+30 min buffer already in its reserved range).
  b.busy = {{Msk(2021, 5, 17, 11), Msk(2021, 5, 17, 12, 30)}};
  s.hosts = {a, b};
  s.expert_buffer = absl::Minutes(30);
  absl::StatusOr<std::vector<Interval>> slots = SuggestSlots(s);
  ASSERT_TRUE(slots.ok()) << slots.status();
  ASSERT_EQ(slots->size(), 3u);
  // a's window ends at 14:00; b is free from 12:30; a new session also needs its own buffer
  // before any later booking of b (none), so 12:30, 12:45, 13:00.
  EXPECT_EQ((*slots)[0].start, Msk(2021, 5, 17, 12, 30));
  EXPECT_EQ((*slots)[1].start, Msk(2021, 5, 17, 12, 45));
  EXPECT_EQ((*slots)[2].start, Msk(2021, 5, 17, 13));
  // A booking of b at 14:00 leaves 12:30 only if 13:30 + 30 min buffer <= 14:00.
  s.hosts[1].busy.push_back({Msk(2021, 5, 17, 14), Msk(2021, 5, 17, 15, 30)});
  slots = SuggestSlots(s);
  ASSERT_TRUE(slots.ok());
  ASSERT_GE(slots->size(), 1u);
  EXPECT_EQ((*slots)[0].start, Msk(2021, 5, 17, 12, 30));
  EXPECT_EQ(slots->size(), 1u);  // 12:45 would end 13:45, too close to 14:00; Monday only
}

TEST(Slots, ABusyRoomPushesToTheNextFreeWindow) {
  SlotSearch s = Search();
  SlotHost a = Host("Europe/Moscow", {{absl::Weekday::monday, 10 * 60, 12 * 60},
                                      {absl::Weekday::tuesday, 10 * 60, 12 * 60}});
  s.hosts = {a};
  s.room_busy = {{Msk(2021, 5, 17, 10), Msk(2021, 5, 17, 11, 30)}};
  s.max_results = 1;
  absl::StatusOr<std::vector<Interval>> slots = SuggestSlots(s);
  ASSERT_TRUE(slots.ok());
  ASSERT_EQ(slots->size(), 1u);
  // Monday 11:30 would end after the 12:00 window: Tuesday 10:00 is the first fit.
  EXPECT_EQ((*slots)[0].start, Msk(2021, 5, 18, 10));
}

TEST(Slots, WeeklyLimitSkipsAFullWeek) {
  SlotSearch s = Search();
  s.range = {Msk(2021, 5, 17, 0), Msk(2021, 5, 31, 0)};
  SlotHost a = Host("Europe/Moscow", {{absl::Weekday::monday, 10 * 60, 12 * 60}});
  a.weekly_limit = 1;
  a.hosted_starts = {Msk(2021, 5, 19, 15)};  // already one session that week
  s.hosts = {a};
  s.max_results = 1;
  absl::StatusOr<std::vector<Interval>> slots = SuggestSlots(s);
  ASSERT_TRUE(slots.ok());
  ASSERT_EQ(slots->size(), 1u);
  EXPECT_EQ((*slots)[0].start, Msk(2021, 5, 24, 10));
}

TEST(Slots, CandidatesAlignToTheCallersClock) {
  SlotSearch s = Search();
  s.range = {Msk(2021, 5, 17, 10, 7), Msk(2021, 5, 17, 18)};
  s.hosts = {Host("Asia/Kolkata", {{absl::Weekday::monday, 0, 24 * 60}})};  // +05:30
  s.granularity = absl::Minutes(30);
  s.max_results = 1;
  absl::StatusOr<std::vector<Interval>> slots = SuggestSlots(s);
  ASSERT_TRUE(slots.ok());
  ASSERT_EQ(slots->size(), 1u);
  EXPECT_EQ((*slots)[0].start, Msk(2021, 5, 17, 10, 30));
  s.duration = absl::ZeroDuration();
  EXPECT_FALSE(SuggestSlots(s).ok());
}

}  // namespace
}  // namespace etnik::scheduling

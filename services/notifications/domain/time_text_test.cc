#include "services/notifications/domain/time_text.h"

#include "absl/time/civil_time.h"
#include "gtest/gtest.h"

namespace etnik::notifications {
namespace {

constexpr auto kRu = etnik::common::v1::LANGUAGE_RU;
constexpr auto kEn = etnik::common::v1::LANGUAGE_EN;

absl::Time Utc(int y, int mo, int d, int h, int mi) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, 0), absl::UTCTimeZone());
}

TEST(TimeText, RussianAndEnglish) {
  const absl::Time t = Utc(2026, 11, 25, 12, 0);
  EXPECT_EQ(FormatLocal(t, "Europe/Moscow", kRu), "25 ноября 2026 г., 15:00 (Europe/Moscow)");
  EXPECT_EQ(FormatLocal(t, "Europe/Moscow", kEn), "25 November 2026, 15:00 (Europe/Moscow)");
  EXPECT_EQ(FormatLocal(t, "Europe/Moscow", etnik::common::v1::LANGUAGE_UNSPECIFIED),
            "25 ноября 2026 г., 15:00 (Europe/Moscow)");
  EXPECT_EQ(FormatLocal(Utc(2026, 5, 1, 6, 5), "Europe/Moscow", kRu), "1 мая 2026 г., 09:05 (Europe/Moscow)");
}

TEST(TimeText, ZonesAcrossRussia) {
  const absl::Time t = Utc(2026, 11, 25, 12, 0);
  EXPECT_EQ(FormatLocal(t, "Europe/Kaliningrad", kRu), "25 ноября 2026 г., 14:00 (Europe/Kaliningrad)");
  EXPECT_EQ(FormatLocal(t, "Asia/Vladivostok", kRu), "25 ноября 2026 г., 22:00 (Asia/Vladivostok)");
  // Late evening in Moscow is already the next day in Vladivostok.
  EXPECT_EQ(FormatLocal(Utc(2026, 12, 31, 18, 30), "Asia/Vladivostok", kRu),
            "1 января 2027 г., 04:30 (Asia/Vladivostok)");
}

TEST(TimeText, UnknownZoneIsShownAsUtc) {
  EXPECT_EQ(FormatLocal(Utc(2026, 11, 25, 12, 0), "Mars/Olympus", kEn), "25 November 2026, 12:00 (UTC)");
  EXPECT_EQ(FormatLocal(Utc(2026, 11, 25, 12, 0), "", kRu), "25 ноября 2026 г., 12:00 (UTC)");
}

TEST(TimeText, RecipientZoneBesideTheEventZone) {
  const absl::Time t = Utc(2026, 11, 25, 12, 0);
  EXPECT_EQ(FormatForRecipient(t, "Europe/Moscow", "Asia/Vladivostok", kRu),
            "25 ноября 2026 г., 22:00 (Asia/Vladivostok); по времени мероприятия: "
            "25 ноября 2026 г., 15:00 (Europe/Moscow)");
  EXPECT_EQ(FormatForRecipient(t, "Europe/Moscow", "Europe/Kaliningrad", kEn),
            "25 November 2026, 14:00 (Europe/Kaliningrad); event time: 25 November 2026, 15:00 "
            "(Europe/Moscow)");
  // Same zone, no zone, or the same offset: one text only.
  EXPECT_EQ(FormatForRecipient(t, "Europe/Moscow", "Europe/Moscow", kRu), FormatLocal(t, "Europe/Moscow", kRu));
  EXPECT_EQ(FormatForRecipient(t, "Europe/Moscow", "", kRu), FormatLocal(t, "Europe/Moscow", kRu));
  EXPECT_EQ(FormatForRecipient(t, "Europe/Moscow", "Europe/Simferopol", kRu), FormatLocal(t, "Europe/Moscow", kRu));
  EXPECT_EQ(FormatForRecipient(t, "Europe/Moscow", "Nowhere/Town", kRu), FormatLocal(t, "Europe/Moscow", kRu));
}

TEST(TimeText, BerlinAroundDaylightSaving) {
  // Berlin leaves summer time on 25 October 2026 (03:00 CEST -> 02:00 CET); Moscow stays +3.
  const absl::Time before = Utc(2026, 10, 24, 12, 0);
  const absl::Time after = Utc(2026, 10, 26, 12, 0);
  EXPECT_EQ(FormatForRecipient(before, "Europe/Moscow", "Europe/Berlin", kRu),
            "24 октября 2026 г., 14:00 (Europe/Berlin); по времени мероприятия: 24 октября 2026 г., "
            "15:00 (Europe/Moscow)");
  EXPECT_EQ(FormatForRecipient(after, "Europe/Moscow", "Europe/Berlin", kRu),
            "26 октября 2026 г., 13:00 (Europe/Berlin); по времени мероприятия: 26 октября 2026 г., "
            "15:00 (Europe/Moscow)");
  // The repeated hour: 00:30 and 01:30 UTC both read 02:30 in Berlin.
  EXPECT_EQ(FormatLocal(Utc(2026, 10, 25, 0, 30), "Europe/Berlin", kEn), "25 October 2026, 02:30 (Europe/Berlin)");
  EXPECT_EQ(FormatLocal(Utc(2026, 10, 25, 1, 30), "Europe/Berlin", kEn), "25 October 2026, 02:30 (Europe/Berlin)");
  // Spring forward on 29 March 2026: 01:30 UTC is 03:30 CEST (02:30 never happens).
  EXPECT_EQ(FormatLocal(Utc(2026, 3, 29, 1, 30), "Europe/Berlin", kRu), "29 марта 2026 г., 03:30 (Europe/Berlin)");
  EXPECT_EQ(FormatLocal(Utc(2026, 3, 29, 0, 30), "Europe/Berlin", kRu), "29 марта 2026 г., 01:30 (Europe/Berlin)");
}

}  // namespace
}  // namespace etnik::notifications

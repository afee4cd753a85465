#include "services/registration/domain/deadline.h"

#include "common/status/errors.h"
#include "gtest/gtest.h"

namespace etnik::registration {
namespace {

// 2021-04-12T23:59:59+03:00, the close of the 2021 EtNik applications (Moscow time).
absl::Time Deadline() { return absl::FromUnixSeconds(1618261199); }

TEST(FormatInZoneTest, MoscowInBothLanguages) {
  EXPECT_EQ(FormatInZone(Deadline(), "Europe/Moscow", Language::kRussian),
            "12 апреля 2021 г., 23:59:59 (Europe/Moscow, UTC+03:00)");
  EXPECT_EQ(FormatInZone(Deadline(), "Europe/Moscow", Language::kEnglish),
            "12 April 2021, 23:59:59 (Europe/Moscow, UTC+03:00)");
}

TEST(FormatInZoneTest, OtherZonesAndUnknownZone) {
  EXPECT_EQ(FormatInZone(Deadline(), "Asia/Vladivostok", Language::kRussian),
            "13 апреля 2021 г., 06:59:59 (Asia/Vladivostok, UTC+10:00)");
  EXPECT_EQ(FormatInZone(Deadline(), "America/New_York", Language::kEnglish),
            "12 April 2021, 16:59:59 (America/New_York, UTC-04:00)");
  EXPECT_EQ(FormatInZone(Deadline(), "Asia/Kolkata", Language::kEnglish),
            "13 April 2021, 02:29:59 (Asia/Kolkata, UTC+05:30)");
  EXPECT_EQ(FormatInZone(Deadline(), "Nowhere/City", Language::kEnglish),
            "12 April 2021, 20:59:59 (UTC, UTC+00:00)");
  EXPECT_EQ(FormatInZone(absl::FromUnixSeconds(1609459200), "Europe/Moscow", Language::kRussian),
            "1 января 2021 г., 03:00:00 (Europe/Moscow, UTC+03:00)");
}

TEST(Rfc3339InZoneTest, UsesTheZoneOffset) {
  EXPECT_EQ(Rfc3339InZone(Deadline(), "Europe/Moscow"), "2021-04-12T23:59:59+03:00");
  EXPECT_EQ(Rfc3339InZone(Deadline(), "America/New_York"), "2021-04-12T16:59:59-04:00");
  EXPECT_EQ(Rfc3339InZone(Deadline(), "UTC"), "2021-04-12T20:59:59+00:00");
}

TEST(DeadlinePassedErrorTest, CarriesReasonMetadataAndText) {
  absl::Status s = DeadlinePassedError(Deadline(), "Europe/Moscow", Language::kRussian);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(), "Срок приёма заявок истёк 12 апреля 2021 г., 23:59:59 (Europe/Moscow, UTC+03:00).");
  std::optional<ErrorInfo> info = GetErrorInfo(s);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->reason, "DEADLINE_PASSED");
  EXPECT_EQ(info->metadata.at("deadline"), "2021-04-12T23:59:59+03:00");
  EXPECT_EQ(info->metadata.at("time_zone"), "Europe/Moscow");

  absl::Status en = DeadlinePassedError(Deadline(), "Europe/Moscow", Language::kEnglish);
  EXPECT_EQ(en.message(), "The deadline for applications passed on 12 April 2021, 23:59:59 (Europe/Moscow, UTC+03:00).");
}

TEST(FormNotOpenErrorTest, CarriesReasonAndOpenTime) {
  absl::Status s = FormNotOpenError(absl::FromUnixSeconds(1617656400), "Europe/Moscow", Language::kEnglish);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  std::optional<ErrorInfo> info = GetErrorInfo(s);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->reason, "FORM_NOT_OPEN");
  EXPECT_EQ(info->metadata.at("open_time"), "2021-04-06T00:00:00+03:00");
}

}  // namespace
}  // namespace etnik::registration

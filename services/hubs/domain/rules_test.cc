#include "services/hubs/domain/rules.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace etnik::hubs {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

std::vector<std::string> Fields(const std::vector<FieldViolation>& violations) {
  std::vector<std::string> out;
  for (const FieldViolation& v : violations) out.push_back(v.field);
  return out;
}

Expert ValidExpert() {
  Expert e;
  e.full_name = {"Анна Петрова", "Anna Petrova"};
  e.time_zone = "Asia/Vladivostok";
  e.contact.email = "anna@example.org";
  e.photo_uri = "https://example.org/anna.jpg";
  e.weekly_availability = {{1, {9, 0}, {18, 0}}};
  return e;
}

TEST(RulesTest, EmailShapes) {
  EXPECT_TRUE(IsValidEmail("a.b@example.org"));
  EXPECT_TRUE(IsValidEmail("info@нко.рф"));
  EXPECT_FALSE(IsValidEmail("no-at.example.org"));
  EXPECT_FALSE(IsValidEmail("a@b@example.org"));
  EXPECT_FALSE(IsValidEmail("a@localhost"));
  EXPECT_FALSE(IsValidEmail("a b@example.org"));
  EXPECT_FALSE(IsValidEmail("@example.org"));
}

TEST(RulesTest, HttpUris) {
  EXPECT_TRUE(IsValidHttpUri("https://etnik.example.org/hubs"));
  EXPECT_TRUE(IsValidHttpUri("http://example.org:8080/a?b=c#d"));
  EXPECT_FALSE(IsValidHttpUri("ftp://example.org/file"));
  EXPECT_FALSE(IsValidHttpUri("javascript:alert(1)"));
  EXPECT_FALSE(IsValidHttpUri("https://"));
  EXPECT_FALSE(IsValidHttpUri("https://exa mple.org"));
  EXPECT_FALSE(IsValidHttpUri("example.org"));
}

TEST(RulesTest, PhonesAndTelegram) {
  EXPECT_TRUE(IsValidPhone("+74812000000"));
  EXPECT_FALSE(IsValidPhone("84812000000"));
  EXPECT_FALSE(IsValidPhone("+0123456789"));
  EXPECT_FALSE(IsValidPhone("+7 481 200"));
  EXPECT_TRUE(IsValidTelegram("etnik_hub"));
  EXPECT_TRUE(IsValidTelegram("-100123456"));
  EXPECT_FALSE(IsValidTelegram("@etnik"));
  EXPECT_FALSE(IsValidTelegram("ab"));
}

TEST(RulesTest, TimeZonesComeFromTheTzDatabase) {
  EXPECT_TRUE(IsKnownTimeZone("Europe/Moscow"));
  EXPECT_TRUE(IsKnownTimeZone("Asia/Kamchatka"));
  EXPECT_TRUE(IsKnownTimeZone("Europe/Kaliningrad"));
  EXPECT_FALSE(IsKnownTimeZone("Europe/Smolensk"));
  EXPECT_FALSE(IsKnownTimeZone("MSK+3"));
  EXPECT_FALSE(IsKnownTimeZone(""));
  EXPECT_FALSE(IsKnownTimeZone("../../etc/passwd"));
}

TEST(RulesTest, ResourceNames) {
  EXPECT_TRUE(IsValidProgrammeName("programmes/etnik-2021"));
  EXPECT_FALSE(IsValidProgrammeName("etnik-2021"));
  EXPECT_FALSE(IsValidProgrammeName("programmes/Etnik"));
  std::string programme, id;
  ASSERT_TRUE(ParseParticipantName("programmes/etnik-2021/participants/nko-7", &programme, &id));
  EXPECT_EQ(programme, "programmes/etnik-2021");
  EXPECT_EQ(id, "nko-7");
  EXPECT_FALSE(ParseParticipantName("programmes/etnik-2021/applications/a1", &programme, &id));
  EXPECT_FALSE(ParseParticipantName("participants/nko-7", &programme, &id));
}

TEST(RulesTest, ValidExpertHasNoViolations) {
  std::vector<FieldViolation> out;
  CheckExpert(ValidExpert(), "expert", &out);
  EXPECT_THAT(out, IsEmpty());
}

TEST(RulesTest, ExpertViolationsNameEachBadField) {
  Expert e = ValidExpert();
  e.full_name.ru = "  ";
  e.time_zone = "Mars/Olympus";
  e.contact.email = "not-an-email";
  e.photo_uri = "photo.jpg";
  e.topics = {"медиа", "медиа"};
  e.weekly_availability = {{0, {9, 0}, {8, 0}}};
  e.availability_exceptions = {{2021, 2, 30, false, true, {}, {}, "отпуск"}};
  std::vector<FieldViolation> out;
  CheckExpert(e, "expert", &out);
  EXPECT_THAT(Fields(out), UnorderedElementsAre("expert.full_name.ru", "expert.time_zone", "expert.contact.email",
                                                "expert.photo_uri", "expert.topics[1]",
                                                "expert.weekly_availability[0].day_of_week",
                                                "expert.weekly_availability[0].end",
                                                "expert.availability_exceptions[0].date"));
}

TEST(RulesTest, ExpertNeedsAZone) {
  Expert e = ValidExpert();
  e.time_zone.clear();
  std::vector<FieldViolation> out;
  CheckExpert(e, "expert", &out);
  EXPECT_THAT(out, ElementsAre(Field(&FieldViolation::field, "expert.time_zone")));
}

TEST(RulesTest, AvailabilityMayEndAtMidnight) {
  Expert e = ValidExpert();
  e.weekly_availability = {{7, {18, 0}, {24, 0}}};
  e.availability_exceptions = {{2021, 5, 12, true, false, {10, 0}, {12, 30}, ""}};
  std::vector<FieldViolation> out;
  CheckExpert(e, "expert", &out);
  EXPECT_THAT(out, IsEmpty());
}

TEST(RulesTest, HubViolations) {
  Hub hub;
  hub.programme = "etnik";
  hub.theme = "Media Projects";
  hub.contact.website_uri = "etnik.ru";
  hub.participant_capacity = -1;
  std::vector<FieldViolation> out;
  CheckHub(hub, "hub", &out);
  EXPECT_THAT(Fields(out), UnorderedElementsAre("hub.programme", "hub.title.ru", "hub.theme",
                                                "hub.contact.website_uri", "hub.participant_capacity"));
}

TEST(RulesTest, EmailKeyIgnoresCaseAndSpaces) {
  EXPECT_EQ(EmailKey(" Anna@Example.ORG "), "anna@example.org");
  EXPECT_EQ(EmailKey(""), "");
}

}  // namespace
}  // namespace etnik::hubs

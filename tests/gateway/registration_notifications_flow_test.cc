// The registration and notifications REST APIs through the gateway against the real services:
// an open competition from the form to the selection and the CSV export, errors in the caller's
// language, and the notification flow from a template to an unsubscribe link.

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/notifications/api/unsubscribe_token.h"
#include "tests/gateway/gateway_test_env.h"
#include "tests/gateway/registration_fixtures.h"

namespace etnik::gateway::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

bool HasCyrillic(const std::string& s) { return absl::StrContains(s, "\xD0") || absl::StrContains(s, "\xD1"); }

class RegistrationFlowTest : public GatewayTest {
 protected:
  void SetUp() override {
    GatewayTest::SetUp();
    if (HasFatalFailure()) return;
    auto programme = Send("POST", "/v1/programmes?programmeId=etnik-2021", Organiser(), kProgrammeJson);
    ASSERT_EQ(programme->status, 200) << programme->body;
    auto form = Send("POST", "/v1/programmes/etnik-2021/forms?formId=application", Organiser(), kApplicationFormJson);
    ASSERT_EQ(form->status, 200) << form->body;
  }

  std::string Applicant(const std::string& who) { return Token(who, {auth::Role::kParticipant}); }
};

TEST_F(RegistrationFlowTest, ApplyReviewSelectAndExport) {
  // Anyone reads the programme and its form.
  auto programme = Send("GET", "/v1/programmes/etnik-2021");
  ASSERT_EQ(programme->status, 200) << programme->body;
  EXPECT_EQ(JsonField(programme->body, {"seats"}), "40");
  EXPECT_EQ(JsonField(Send("GET", "/v1/programmes/etnik-2021/forms")->body, {"forms", "0", "name"}),
            "programmes/etnik-2021/forms/application");

  // A draft without answers cannot be submitted: the missing answer is named, in Russian by
  // default and in English when the caller asks for it.
  auto draft = Send("POST", "/v1/programmes/etnik-2021/applications?applicationId=alice", Applicant("alice"),
                    R"({"organisation":{"fullName":"АНО «Ресурсный центр»","inn":"7707083893","region":"RU-SMO",)"
                    R"("city":"Смоленск"},"contactPerson":{"fullName":"Иванова Мария","contact":{"email":"m@example.org"}}})");
  ASSERT_EQ(draft->status, 200) << draft->body;
  EXPECT_EQ(JsonField(draft->body, {"state"}), "APPLICATION_STATE_DRAFT");
  auto incomplete = Send("POST", "/v1/programmes/etnik-2021/applications/alice:submit", Applicant("alice"), "{}");
  ASSERT_EQ(incomplete->status, 400) << incomplete->body;
  EXPECT_EQ(JsonField(incomplete->body, {"error", "details", "0", "fieldViolations", "0", "field"}),
            "application.answers[experience]")
      << incomplete->body;
  EXPECT_TRUE(HasCyrillic(JsonField(incomplete->body, {"error", "details", "0", "fieldViolations", "0", "description"})));
  auto english = Send("POST", "/v1/programmes/etnik-2021/applications/alice:submit", Applicant("alice"), "{}",
                      {{"Accept-Language", "en-GB,en;q=0.8"}});
  ASSERT_EQ(english->status, 400) << english->body;
  EXPECT_FALSE(HasCyrillic(JsonField(english->body, {"error", "details", "0", "fieldViolations", "0", "description"})))
      << english->body;

  // Completed and submitted; the same organisation cannot apply twice.
  auto completed = Send("PATCH", "/v1/programmes/etnik-2021/applications/alice?updateMask=answers", Applicant("alice"),
                        R"({"answers":[{"questionId":"experience","text":"Экспедиции с 2015 года"}]})");
  ASSERT_EQ(completed->status, 200) << completed->body;
  auto submitted = Send("POST", "/v1/programmes/etnik-2021/applications/alice:submit", Applicant("alice"), "{}");
  ASSERT_EQ(submitted->status, 200) << submitted->body;
  EXPECT_NE(JsonField(submitted->body, {"state"}), "APPLICATION_STATE_DRAFT");
  auto twice = Send("POST", "/v1/programmes/etnik-2021/applications", Applicant("bob"), kApplicationJson);
  EXPECT_EQ(twice->status, 409) << twice->body;
  // Another applicant sees nothing of alice's; unknown fields and bad JSON are a clear 400.
  EXPECT_EQ(Send("GET", "/v1/programmes/etnik-2021/applications/alice", Applicant("bob"))->status, 403);
  auto unknown = Send("POST", "/v1/programmes/etnik-2021/applications", Applicant("bob"), R"({"organisaton":{}})");
  EXPECT_EQ(unknown->status, 400);
  EXPECT_THAT(JsonField(unknown->body, {"error", "message"}), HasSubstr("organisaton"));
  EXPECT_EQ(Send("POST", "/v1/programmes/etnik-2021/applications", Applicant("bob"), "{\"organisation\":")->status,
            400);

  // Review: the assigned reviewer scores within the criterion's range only.
  auto assigned = Send("POST", "/v1/programmes/etnik-2021/applications:assignReviewers", Organiser(),
                       R"({"reviewers":["rita"],"reviewersPerApplication":1})");
  ASSERT_EQ(assigned->status, 200) << assigned->body;
  const std::string rita = Token("rita", {auth::Role::kReviewer});
  auto assignments = Send("GET", "/v1/programmes/etnik-2021/reviewerAssignments", rita);
  ASSERT_EQ(assignments->status, 200) << assignments->body;
  EXPECT_THAT(assignments->body, HasSubstr("programmes/etnik-2021/applications/alice"));
  auto too_high = Send("POST", "/v1/programmes/etnik-2021/applications/alice/reviews", rita,
                       R"({"scores":[{"criterionId":"relevance","score":11}]})");
  EXPECT_EQ(too_high->status, 400) << too_high->body;
  auto reviewed = Send("POST", "/v1/programmes/etnik-2021/applications/alice/reviews", rita,
                       R"({"scores":[{"criterionId":"relevance","score":8}],"comment":"сильная заявка"})");
  ASSERT_EQ(reviewed->status, 200) << reviewed->body;

  // A preview selection picks alice's application; nothing is committed.
  auto preview = Send("POST", "/v1/programmes/etnik-2021/selectionRuns", Organiser(), R"({"seats":1,"preview":true})");
  ASSERT_EQ(preview->status, 200) << preview->body;
  EXPECT_EQ(JsonField(preview->body, {"decisions", "0", "application"}), "programmes/etnik-2021/applications/alice");
  EXPECT_THAT(JsonField(preview->body, {"decisions", "0", "outcome"}), HasSubstr("SELECTED"));
  EXPECT_EQ(JsonField(Send("GET", "/v1/programmes/etnik-2021/offers", Organiser())->body, {"offers"}), "<missing>");

  // The CSV export: UTF-8 with a BOM, the application's INN in it.
  auto csv = Send("GET", "/v1/programmes/etnik-2021/applications:export", Organiser());
  ASSERT_EQ(csv->status, 200) << csv->body;
  EXPECT_THAT(csv->get_header_value("Content-Type"), StartsWith("text/csv"));
  EXPECT_THAT(csv->body, StartsWith("\xEF\xBB\xBF"));
  EXPECT_THAT(csv->body, HasSubstr("7707083893"));
  auto progress = Send("GET", "/v1/programmes/etnik-2021/registrationProgress", Organiser());
  ASSERT_EQ(progress->status, 200) << progress->body;
  EXPECT_THAT(progress->body, HasSubstr("programmes/etnik-2021"));
}

class NotificationsFlowTest : public GatewayTest {};

TEST_F(NotificationsFlowTest, TemplatesSendingPreferencesAndUnsubscribe) {
  auto templates = Send("GET", "/v1/templates?pageSize=5", Organiser());
  ASSERT_EQ(templates->status, 200) << templates->body;
  const std::string name = JsonField(templates->body, {"templates", "0", "name"});
  ASSERT_THAT(name, StartsWith("templates/"));
  // A template that would not render is refused with the line at fault.
  auto broken = Send("PATCH", absl::StrCat("/v1/", name, "?updateMask=body"), Organiser(),
                     R"({"body":"Здравствуйте, {{full_name}\n"})");
  ASSERT_EQ(broken->status, 400) << broken->body;
  EXPECT_THAT(broken->body, HasSubstr("line 1"));

  // A service sends a message; a retry with the same request id queues nothing new.
  const std::string service = Token("svc-scheduling", {auth::Role::kService});
  const std::string send =
      R"({"recipients":[{"recipient":"participant-1","fullName":"Участник","email":"p1@example.org",)"
      R"("timeZone":"Europe/Moscow"}],"channel":"CHANNEL_EMAIL","subject":"Изменение расписания",)"
      R"("body":"Вебинар перенесён","requestId":"send-1"})";
  auto sent = Send("POST", "/v1/notifications:send", service, send);
  ASSERT_EQ(sent->status, 200) << sent->body;
  const std::string delivery = JsonField(sent->body, {"deliveries", "0", "name"});
  ASSERT_THAT(delivery, StartsWith("deliveries/"));
  auto again = Send("POST", "/v1/notifications:send", service, send);
  EXPECT_EQ(JsonField(again->body, {"deliveries", "0", "name"}), delivery);
  auto log = Send("GET", "/v1/deliveries?recipient=participant-1", Organiser());
  ASSERT_EQ(log->status, 200) << log->body;
  EXPECT_EQ(JsonField(log->body, {"deliveries", "0", "name"}), delivery);
  EXPECT_EQ(JsonField(log->body, {"deliveries", "1", "name"}), "<missing>");
  EXPECT_EQ(Send("GET", absl::StrCat("/v1/", delivery), Organiser())->status, 200);

  // The person keeps their own preference; nobody else's.
  const std::string person = Token("participant-1", {auth::Role::kParticipant});
  auto mine = Send("PATCH", "/v1/preferences/participant-1?updateMask=language&allowMissing=true", person,
                   R"({"recipient":"participant-1","language":"LANGUAGE_EN"})");
  ASSERT_EQ(mine->status, 200) << mine->body;
  EXPECT_EQ(JsonField(mine->body, {"language"}), "LANGUAGE_EN");
  EXPECT_EQ(Send("GET", "/v1/preferences/participant-1", Token("participant-2", {auth::Role::kParticipant}))->status,
            403);

  // The unsubscribe link works without a token; a forged one is refused.
  auto off = Send("POST", "/v1/preferences:unsubscribe", "",
                  absl::StrCat(R"({"token":")", notifications::MakeUnsubscribeToken(kUnsubscribeSecret, "participant-1"),
                               R"("})"));
  ASSERT_EQ(off->status, 200) << off->body;
  EXPECT_EQ(JsonField(off->body, {"unsubscribed"}), "true");
  auto forged = Send("POST", "/v1/preferences:unsubscribe", "",
                     absl::StrCat(R"({"token":")", notifications::MakeUnsubscribeToken("another-secret", "participant-1"),
                                  R"("})"));
  EXPECT_EQ(forged->status, 400) << forged->body;
  EXPECT_THAT(forged->body, Not(HasSubstr("another-secret")));
}

}  // namespace
}  // namespace etnik::gateway::testing

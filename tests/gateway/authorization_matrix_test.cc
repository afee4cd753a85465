// Every route x every kind of caller -> exactly the expected HTTP status. The gateway's coarse
// role gate and each service's own checks together give these answers; a hub lead of hub A
// (media) never touches hub B (crafts) and the lead of crafts never touches media.
//
// Columns: organiser, lead of media (A), lead of crafts (B), expert, participant, reviewer,
// service, no token. Every route also answers 401 to an expired token, a token signed with
// another key and an "alg": "none" token (checked for every row below).
//
// In a row, "{who}" becomes the column's name (unique ids for creates), "{n}" its index and
// "{inn}" a valid INN of its own (one application per organisation).
// Set GATEWAY_MATRIX_PRINT=1 to print the observed table.

#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "common/auth/test_keys.h"
#include "gtest/gtest.h"
#include "services/gateway/routes/route_table.h"
#include "tests/gateway/gateway_test_env.h"
#include "tests/gateway/registration_fixtures.h"

namespace etnik::gateway::testing {
namespace {

struct Row {
  const char* method;
  const char* path;
  const char* body;
  const char* expected;  // eight statuses, in the column order above
};

constexpr char kHub[] =
    R"({"programme":"programmes/etnik-2021","title":{"ru":"Хаб"},"theme":"t-{who}","themeTitle":{"ru":"Тема"},)"
    R"("description":{"ru":"Описание"},"contact":{"email":"hub@etnik.example.org"}})";
constexpr char kExpert[] = R"({"fullName":{"ru":"Эксперт"},"timeZone":"Europe/Moscow","bio":{"ru":"Био"}})";
constexpr char kSession[] =
    R"({"startTime":"2021-07-0{n}T10:00:00Z","endTime":"2021-07-0{n}T11:00:00Z","timeZone":"Europe/Moscow",)"
    R"("hosts":["experts/ivan"],"title":{"ru":"Сессия"},"onlineRoom":{"joinUri":"https://meet.example/x"}})";
constexpr char kBook[] =
    R"({"session":{"startTime":"2021-08-0{n}T10:00:00Z","endTime":"2021-08-0{n}T11:00:00Z",)"
    R"("timeZone":"Europe/Moscow","hosts":["experts/ivan"],"onlineRoom":{"joinUri":"https://meet.example/x"}}})";
constexpr char kEvent[] =
    R"({"programme":"programmes/etnik-2021","stage":"programmes/etnik-2021/stages/practice",)"
    R"("kind":"EVENT_KIND_WEBINAR","title":{"ru":"Событие"},"hub":"hubs/media","timeZone":"Europe/Moscow"})";

constexpr char kSend[] =
    R"({"recipients":[{"recipient":"participant","fullName":"Участник","email":"p@example.org",)"
    R"("timeZone":"Europe/Moscow"}],"subject":"Тема","body":"Текст","requestId":"send-{who}"})";
constexpr char kWebhook[] =
    R"({"uri":"https://hooks.example.org/etnik","eventTypes":["SessionBooked"],"secret":"webhook-secret-{who}"})";

// clang-format off
const Row kRows[] = {
    // method   path                                                  body  expected: org leadA leadB expert participant reviewer service none
    {"POST",   "/v1/hubs?hubId=h-{who}",                              kHub, "200 403 403 403 403 403 403 401"},
    {"GET",    "/v1/hubs",                                            "",   "200 200 200 403 403 403 200 401"},
    {"GET",    "/v1/hubs/media",                                      "",   "200 200 403 403 403 403 200 401"},
    {"PATCH",  "/v1/hubs/media?updateMask=description",               R"({"description":{"ru":"Новое"}})", "200 200 403 403 403 403 403 401"},
    {"DELETE", "/v1/hubs/ghost",                                      "",   "404 403 403 403 403 403 403 401"},
    {"POST",   "/v1/hubs/media:publish",                              "{}", "200 409 403 403 403 403 403 401"},
    {"POST",   "/v1/hubs/ghost:close",                                "{}", "404 403 403 403 403 403 403 401"},
    {"POST",   "/v1/experts?expertId=e-{who}",                        kExpert, "200 200 200 403 403 403 403 401"},
    {"GET",    "/v1/experts",                                         "",   "200 200 200 403 403 403 200 401"},
    {"GET",    "/v1/experts/anna",                                    "",   "200 200 200 403 403 403 200 401"},
    {"PATCH",  "/v1/experts/anna?updateMask=bio",                     R"({"bio":{"ru":"Новое"}})", "200 200 403 403 403 403 403 401"},
    {"DELETE", "/v1/experts/ghost",                                   "",   "404 403 403 403 403 403 403 401"},
    {"POST",   "/v1/hubs/media/experts",                              R"({"expert":"experts/ghost"})", "404 404 403 403 403 403 403 401"},
    {"DELETE", "/v1/hubs/media/experts/ghost",                        "",   "404 404 403 403 403 403 403 401"},
    {"POST",   "/v1/hubs/media/leads",                                R"({"subject":"lead-{who}","fullName":"Руководитель","timeZone":"Europe/Moscow","contact":{"email":"{who}@example.org"}})", "200 403 403 403 403 403 403 401"},
    {"GET",    "/v1/hubs/media/leads",                                "",   "200 200 403 403 403 403 200 401"},
    {"DELETE", "/v1/hubs/media/leads/ghost",                          "",   "404 403 403 403 403 403 403 401"},
    {"POST",   "/v1/hubs/media/participants",                         R"({"participant":"programmes/etnik-2021/participants/ghost"})", "409 409 403 403 403 403 403 401"},
    {"GET",    "/v1/hubs/media/participants",                         "",   "200 200 403 403 403 403 200 401"},
    {"DELETE", "/v1/hubs/media/participants/ghost",                   "",   "404 404 403 403 403 403 403 401"},
    {"GET",    "/v1/programmes/etnik-2021/catalogue/hubs",            "",   "200 200 200 200 200 200 200 200"},
    {"GET",    "/v1/catalogue/hubs/media",                            "",   "200 200 200 200 200 200 200 200"},
    {"GET",    "/v1/programmes/etnik-2021/themes",                    "",   "200 200 200 200 200 200 200 200"},
    {"GET",    "/v1/programmes/etnik-2021/catalogue:export",          "",   "200 200 200 200 200 200 200 200"},
    {"GET",    "/v1/programmes/etnik-2021/hubsProgress",              "",   "200 403 403 403 403 403 200 401"},
    // scheduling
    {"POST",   "/v1/venues?venueId=v-{who}",                          R"({"title":{"ru":"Зал"},"timeZone":"Europe/Moscow"})", "200 403 403 403 403 403 403 401"},
    {"GET",    "/v1/venues",                                          "",   "200 200 200 200 200 200 200 200"},
    {"GET",    "/v1/venues/ghost",                                    "",   "404 404 404 404 404 404 404 404"},
    {"PATCH",  "/v1/venues/ghost",                                    R"({"title":{"ru":"Зал"}})", "404 403 403 403 403 403 403 401"},
    {"POST",   "/v1/events?eventId=ev-{who}",                         kEvent, "200 200 403 403 403 403 403 401"},
    {"GET",    "/v1/events",                                          "",   "200 200 200 200 200 200 200 200"},
    {"GET",    "/v1/events/media",                                    "",   "200 200 200 200 200 200 200 200"},
    {"PATCH",  "/v1/events/media?updateMask=title",                   R"({"title":{"ru":"Новое"}})", "200 200 403 403 403 403 403 401"},
    {"DELETE", "/v1/events/ghost",                                    "",   "404 404 404 403 403 403 403 401"},
    {"POST",   "/v1/events/media/sessions?sessionId=s-{who}",         kSession, "200 200 403 403 403 403 403 401"},
    {"POST",   "/v1/events/media/sessions:book",                      kBook, "200 200 403 403 403 403 403 401"},
    {"GET",    "/v1/events/media/sessions",                           "",   "200 200 200 200 200 200 200 200"},
    {"GET",    "/v1/programmes/etnik-2021/sessions",                  "",   "200 200 200 200 200 200 200 200"},
    {"GET",    "/v1/hubs/media/sessions",                             "",   "200 200 200 200 200 200 200 200"},
    {"GET",    "/v1/events/media/sessions/first",                     "",   "200 200 200 200 200 200 200 200"},
    {"PATCH",  "/v1/events/media/sessions/first?updateMask=title",    R"({"title":{"ru":"Новое"}})", "200 200 403 403 403 403 200 401"},
    {"POST",   "/v1/events/media/sessions/ghost:reschedule",          R"({"startTime":"2021-09-01T10:00:00Z","endTime":"2021-09-01T11:00:00Z"})", "404 404 404 404 404 404 404 401"},
    {"POST",   "/v1/events/media/sessions/ghost:cancel",              R"({"reason":"нет"})", "404 404 404 404 404 404 404 401"},
    {"POST",   "/v1/events/media/sessions/ghost:markHeld",            "{}", "404 404 404 404 404 404 404 401"},
    {"POST",   "/v1/events/media:suggestSlots",                       R"({"hosts":["experts/anna"],"duration":"3600s","searchRange":{"startTime":"2021-06-10T00:00:00Z","endTime":"2021-06-12T00:00:00Z"},"timeZone":"Europe/Moscow"})", "200 200 200 200 200 200 200 401"},
    {"POST",   "/v1/events/media/sessions/first/attendees",           R"({"participant":"programmes/etnik-2021/participants/{who}","fullName":"Участник","email":"{who}@example.org"})", "200 403 403 403 200 403 200 401"},
    {"GET",    "/v1/events/media/sessions/first/attendees",           "",   "200 200 200 200 200 200 200 401"},
    {"POST",   "/v1/events/media/sessions/first/attendees/ghost:cancel", "{}", "404 404 404 404 404 404 404 401"},
    {"POST",   "/v1/events/media/sessions/first/attendees/ghost:checkIn", "{}", "404 404 404 404 404 404 404 401"},
    {"GET",    "/v1/programmes/etnik-2021/participants/participant/attendance", "", "200 200 200 200 200 200 200 401"},
    {"GET",    "/v1/programmes/etnik-2021/schedulingProgress",        "",   "200 200 200 403 403 403 200 401"},
    {"GET",    "/v1/programmes/etnik-2021/calendar.ics",              "",   "200 200 200 200 200 200 200 200"},
    {"GET",    "/v1/hubs/media/calendar.ics",                         "",   "200 200 200 200 200 200 200 200"},
    {"GET",    "/v1/programmes/etnik-2021/participants/participant/calendar.ics", "", "200 200 200 200 200 200 200 401"},
    {"GET",    "/v1/experts/anna/calendar.ics",                       "",   "200 200 200 200 200 200 200 401"},
    // registration: programme etnik-2021 with the open form "application", the participant's
    // submitted application "mine" (assigned to the reviewer) and the empty form "survey"
    {"POST",   "/v1/programmes?programmeId=p-{who}",                  kProgrammeJson, "200 403 403 403 403 403 403 401"},
    {"GET",    "/v1/programmes",                                      "",   "200 200 200 200 200 200 200 200"},
    {"GET",    "/v1/programmes/etnik-2021",                           "",   "200 200 200 200 200 200 200 200"},
    {"PATCH",  "/v1/programmes/etnik-2021?updateMask=seats",          R"({"seats":40})", "200 403 403 403 403 403 403 401"},
    {"POST",   "/v1/programmes/etnik-2021/forms?formId=f-{who}",      kSurveyJson, "200 403 403 403 403 403 403 401"},
    {"GET",    "/v1/programmes/etnik-2021/forms",                     "",   "200 200 200 200 200 200 200 200"},
    {"GET",    "/v1/programmes/etnik-2021/forms/application",         "",   "200 200 200 200 200 200 200 200"},
    {"PATCH",  "/v1/programmes/etnik-2021/forms/survey?updateMask=title", R"({"title":{"ru":"Опрос"}})", "200 403 403 403 403 403 403 401"},
    {"DELETE", "/v1/programmes/etnik-2021/forms/ghost",               "",   "404 403 403 403 403 403 403 401"},
    {"POST",   "/v1/programmes/etnik-2021/applications",              R"({"organisation":{"fullName":"Организация {who}","inn":"{inn}"}})", "200 200 200 200 200 200 200 401"},
    {"GET",    "/v1/programmes/etnik-2021/applications",              "",   "200 200 200 200 200 200 200 401"},
    {"GET",    "/v1/programmes/etnik-2021/applications:export",       "",   "200 403 403 403 403 403 403 401"},
    {"POST",   "/v1/programmes/etnik-2021/applications:assignReviewers", R"({"reviewers":["reviewer"],"reviewersPerApplication":1})", "200 403 403 403 403 403 403 401"},
    {"GET",    "/v1/programmes/etnik-2021/applications/mine",         "",   "200 403 403 403 200 200 403 401"},
    {"PATCH",  "/v1/programmes/etnik-2021/applications/mine?updateMask=contactPerson", R"({"contactPerson":{"fullName":"Новое имя"}})", "409 403 403 403 409 403 403 401"},
    {"DELETE", "/v1/programmes/etnik-2021/applications/ghost",        "",   "404 404 404 404 404 404 404 401"},
    {"POST",   "/v1/programmes/etnik-2021/applications/mine:submit",  "{}", "409 403 403 403 409 403 403 401"},
    {"POST",   "/v1/programmes/etnik-2021/applications/ghost:withdraw", "{}", "404 404 404 404 404 404 404 401"},
    {"GET",    "/v1/programmes/etnik-2021/reviewerAssignments",       "",   "200 403 403 403 403 200 403 401"},
    {"POST",   "/v1/programmes/etnik-2021/conflicts",                 R"({"organisationInn":"500100732259","reason":"родственник"})", "200 403 403 403 403 200 403 401"},
    {"GET",    "/v1/programmes/etnik-2021/conflicts",                 "",   "200 403 403 403 403 200 403 401"},
    {"POST",   "/v1/programmes/etnik-2021/applications/mine/reviews", R"({"scores":[{"criterionId":"relevance","score":7}]})", "403 403 403 403 403 200 403 401"},
    {"GET",    "/v1/programmes/etnik-2021/applications/mine/reviews", "",   "200 403 403 403 403 200 403 401"},
    {"GET",    "/v1/programmes/etnik-2021/reviewProgress",            "",   "200 403 403 403 403 403 403 401"},
    {"POST",   "/v1/programmes/etnik-2021/selectionRuns",             R"({"seats":40,"preview":true})", "200 403 403 403 403 403 403 401"},
    {"GET",    "/v1/programmes/etnik-2021/selectionRuns",             "",   "200 403 403 403 403 403 403 401"},
    {"GET",    "/v1/programmes/etnik-2021/selectionRuns/ghost",       "",   "404 403 403 403 403 403 403 401"},
    {"GET",    "/v1/programmes/etnik-2021/offers",                    "",   "200 200 200 200 200 200 200 401"},
    {"GET",    "/v1/programmes/etnik-2021/offers/ghost",              "",   "404 404 404 404 404 404 404 401"},
    {"POST",   "/v1/programmes/etnik-2021/offers/ghost:respond",      R"({"reply":"OFFER_REPLY_ACCEPT"})", "404 404 404 404 404 404 404 401"},
    {"POST",   "/v1/programmes/etnik-2021/forms/survey/responses",    R"({"organisation":{"fullName":"Организация {who}","region":"RU-SMO"},"answers":[{"questionId":"useful","text":"да"}]})", "200 200 200 200 200 200 200 401"},
    {"GET",    "/v1/programmes/etnik-2021/forms/survey/responses",    "",   "200 403 403 403 403 403 403 401"},
    {"GET",    "/v1/programmes/etnik-2021/forms/survey/summary",      "",   "200 403 403 403 403 403 403 401"},
    {"GET",    "/v1/programmes/etnik-2021/participants",              "",   "200 403 403 403 403 403 200 401"},
    {"GET",    "/v1/programmes/etnik-2021/participants/ghost",        "",   "404 403 403 403 403 403 404 401"},
    {"GET",    "/v1/programmes/etnik-2021/registrationProgress",      "",   "200 403 403 403 403 403 403 401"},
    // notifications
    {"GET",    "/v1/templates",                                       "",   "200 403 403 403 403 403 403 401"},
    {"GET",    "/v1/templates/ghost",                                 "",   "404 403 403 403 403 403 403 401"},
    {"PATCH",  "/v1/templates/ghost?updateMask=subject",              R"({"subject":"Тема"})", "404 403 403 403 403 403 403 401"},
    {"POST",   "/v1/notifications:send",                              kSend, "200 403 403 403 403 403 200 401"},
    {"GET",    "/v1/deliveries",                                      "",   "200 403 403 403 403 403 403 401"},
    {"GET",    "/v1/deliveries/ghost",                                "",   "404 403 403 403 403 403 403 401"},
    {"POST",   "/v1/deliveries/ghost:retry",                          "{}", "404 403 403 403 403 403 403 401"},
    {"GET",    "/v1/preferences",                                     "",   "200 403 403 403 403 403 403 401"},
    {"PATCH",  "/v1/preferences/participant?updateMask=language&allowMissing=true", R"({"recipient":"participant","language":"LANGUAGE_EN"})", "200 403 403 403 200 403 403 401"},
    {"GET",    "/v1/preferences/participant",                         "",   "200 403 403 403 200 403 403 401"},
    {"POST",   "/v1/preferences:unsubscribe",                         R"({"token":"forged"})", "400 400 400 400 400 400 400 400"},
    {"GET",    "/v1/programmes/etnik-2021/reminderSettings",          "",   "200 403 403 403 403 403 403 401"},
    {"PATCH",  "/v1/programmes/etnik-2021/reminderSettings?updateMask=offsets", R"({"offsets":["86400s"]})", "200 403 403 403 403 403 403 401"},
    {"POST",   "/v1/webhookSubscriptions?webhookSubscriptionId=w-{who}", kWebhook, "200 403 403 403 403 403 403 401"},
    {"GET",    "/v1/webhookSubscriptions",                            "",   "200 403 403 403 403 403 403 401"},
    {"DELETE", "/v1/webhookSubscriptions/ghost",                      "",   "404 403 403 403 403 403 403 401"},
};
// clang-format on

class AuthorizationMatrixTest : public GatewayTest {
 protected:
  void SetUp() override {
    GatewayTest::SetUp();
    if (HasFatalFailure()) return;
    SeedScheduling();
    // Hub A (media) with three experts, hub B (crafts); event media with session "first".
    for (const char* hub : {"media", "crafts"}) {
      auto r = Send("POST", absl::StrCat("/v1/hubs?hubId=", hub), Organiser(),
                    absl::StrReplaceAll(kHub, {{"{who}", hub}}));
      ASSERT_EQ(r->status, 200) << r->body;
    }
    for (const char* id : {"anna", "ivan", "olga"}) {
      ASSERT_EQ(Send("POST", absl::StrCat("/v1/experts?expertId=", id), Organiser(), kExpert)->status, 200);
      ASSERT_EQ(Send("POST", "/v1/hubs/media/experts", Organiser(),
                     absl::StrCat(R"({"expert":"experts/)", id, R"("})"))->status, 200);
    }
    auto event = Send("POST", "/v1/events?eventId=media", Organiser(), kEvent);
    ASSERT_EQ(event->status, 200) << event->body;
    auto session = Send("POST", "/v1/events/media/sessions?sessionId=first", Organiser(),
                        R"({"startTime":"2021-06-02T12:00:00Z","endTime":"2021-06-02T13:00:00Z",)"
                        R"("timeZone":"Europe/Moscow","hosts":["experts/anna"],)"
                        R"("onlineRoom":{"joinUri":"https://meet.example/media"}})");
    ASSERT_EQ(session->status, 200) << session->body;
    SeedRegistration();
  }

  // Programme etnik-2021, its open application form and a survey, the participant's submitted
  // application "mine", and the reviewer assigned to it.
  void SeedRegistration() {
    auto post = [this](const std::string& path, const std::string& token, const std::string& body) {
      auto r = Send("POST", path, token, body);
      EXPECT_EQ(r->status, 200) << path << ": " << r->body;
    };
    const std::string participant = Token("participant", {auth::Role::kParticipant});
    post("/v1/programmes?programmeId=etnik-2021", Organiser(), kProgrammeJson);
    post("/v1/programmes/etnik-2021/forms?formId=application", Organiser(), kApplicationFormJson);
    post("/v1/programmes/etnik-2021/forms?formId=survey", Organiser(), kSurveyJson);
    post("/v1/programmes/etnik-2021/applications?applicationId=mine", participant, kApplicationJson);
    post("/v1/programmes/etnik-2021/applications/mine:submit", participant, "{}");
    post("/v1/programmes/etnik-2021/applications:assignReviewers", Organiser(),
         R"({"reviewers":["reviewer"],"reviewersPerApplication":1})");
  }
};

TEST_F(AuthorizationMatrixTest, EveryRouteForEveryCaller) {
  using auth::Role;
  struct Column {
    const char* name;
    std::string token;
  };
  const std::vector<Column> columns = {
      {"organiser", Organiser()},
      {"leada", Lead("media")},
      {"leadb", Lead("crafts")},
      {"expert", Token("anna", {Role::kExpert})},
      {"participant", Token("participant", {Role::kParticipant})},
      {"reviewer", Token("reviewer", {Role::kReviewer})},
      {"service", Token("svc-notifications", {Role::kService})},
      {"none", ""},
  };
  const std::string payload = auth::testkeys::Payload(clock_.Now(), "etnik", R"("etnik")", absl::Hours(1),
                                                      R"(,"sub":"org-1","roles":["organiser"])");
  const std::vector<std::string> bad_tokens = {
      Expired(),
      auth::testkeys::BuildToken(R"({"alg":"HS256","typ":"JWT"})", payload,
                                 auth::testkeys::Hs256Signer(auth::testkeys::kOtherSecret)),
      auth::testkeys::BuildToken(R"({"alg":"none","typ":"JWT"})", payload,
                                 [](absl::string_view) { return std::string(); }),
  };
  const bool print = std::getenv("GATEWAY_MATRIX_PRINT") != nullptr;
  // Every route of the table has a row (registration's included).
  std::set<const Route*> covered;
  for (const Row& row : kRows) {
    std::vector<std::string> expected = absl::StrSplit(row.expected, ' ', absl::SkipEmpty());
    std::vector<std::string> got;
    for (size_t i = 0; i < columns.size(); ++i) {
      const std::string who = columns[i].name;
      const std::string n = absl::StrCat(i + 1);
      const std::string inn = InnFor(static_cast<int>(i) + 1);
      std::string path = absl::StrReplaceAll(row.path, {{"{who}", who}, {"{n}", n}});
      std::string body = absl::StrReplaceAll(row.body, {{"{who}", who}, {"{n}", n}, {"{inn}", inn}});
      std::map<std::string, std::string> bound;
      const Route* route = FindRoute(row.method, path.substr(0, path.find('?')), &bound);
      EXPECT_NE(route, nullptr) << row.method << " " << path;
      covered.insert(route);
      auto res = Send(row.method, path, columns[i].token, body);
      got.push_back(absl::StrCat(res ? res->status : 0));
      if (!print && i < expected.size()) {
        EXPECT_EQ(got.back(), expected[i]) << row.method << " " << path << " as " << who << ": "
                                           << (res ? res->body : "");
      }
    }
    if (print) {
      std::printf("    {\"%s\", \"%s\", ..., \"%s\"},\n", row.method, row.path, absl::StrJoin(got, " ").c_str());
    } else {
      EXPECT_EQ(expected.size(), columns.size()) << row.method << " " << row.path;
    }
    for (const std::string& token : bad_tokens) {
      std::string path = absl::StrReplaceAll(row.path, {{"{who}", "bad"}, {"{n}", "9"}});
      auto res = Send(row.method, path, token,
                      absl::StrReplaceAll(row.body, {{"{who}", "bad"}, {"{n}", "9"}, {"{inn}", InnFor(9)}}));
      EXPECT_EQ(res->status, 401) << row.method << " " << path;
    }
  }
  EXPECT_EQ(covered.size(), Routes().size()) << "a route has no row in the matrix";
}

}  // namespace
}  // namespace etnik::gateway::testing

// Every route x every kind of caller -> exactly the expected HTTP status. The gateway's coarse
// role gate and each service's own checks together give these answers; a hub lead of hub A
// (media) never touches hub B (crafts) and the lead of crafts never touches media.
//
// Columns: organiser, lead of media (A), lead of crafts (B), expert, participant, reviewer,
// service, no token. Every route also answers 401 to an expired token, a token signed with
// another key and an "alg": "none" token (checked for every row below).
// Registration is not running in this test, so its routes answer 503 once the gateway lets a
// call through, and 401/403 when the gateway itself refuses it.
//
// In a row, "{who}" becomes the column's name (unique ids for creates) and "{n}" its index.
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
    // registration (its backend is down here: 503 once the gateway lets the call through)
    {"POST",   "/v1/programmes",                                      "{}", "503 403 403 403 403 403 403 401"},
    {"GET",    "/v1/programmes",                                      "",   "503 503 503 503 503 503 503 503"},
    {"GET",    "/v1/programmes/etnik-2021",                           "",   "503 503 503 503 503 503 503 503"},
    {"PATCH",  "/v1/programmes/etnik-2021",                           "{}", "503 403 403 403 403 403 403 401"},
    {"POST",   "/v1/programmes/etnik-2021/forms",                     "{}", "503 403 403 403 403 403 403 401"},
    {"GET",    "/v1/programmes/etnik-2021/forms",                     "",   "503 503 503 503 503 503 503 503"},
    {"GET",    "/v1/programmes/etnik-2021/forms/f",                   "",   "503 503 503 503 503 503 503 503"},
    {"PATCH",  "/v1/programmes/etnik-2021/forms/f",                   "{}", "503 403 403 403 403 403 403 401"},
    {"DELETE", "/v1/programmes/etnik-2021/forms/f",                   "",   "503 403 403 403 403 403 403 401"},
    {"POST",   "/v1/programmes/etnik-2021/applications",              "{}", "503 503 503 503 503 503 503 401"},
    {"GET",    "/v1/programmes/etnik-2021/applications",              "",   "503 503 503 503 503 503 503 401"},
    {"GET",    "/v1/programmes/etnik-2021/applications:export",       "",   "503 403 403 403 403 403 403 401"},
    {"POST",   "/v1/programmes/etnik-2021/applications:assignReviewers", "{}", "503 403 403 403 403 403 403 401"},
    {"GET",    "/v1/programmes/etnik-2021/applications/a",            "",   "503 503 503 503 503 503 503 401"},
    {"PATCH",  "/v1/programmes/etnik-2021/applications/a",            "{}", "503 503 503 503 503 503 503 401"},
    {"DELETE", "/v1/programmes/etnik-2021/applications/a",            "",   "503 503 503 503 503 503 503 401"},
    {"POST",   "/v1/programmes/etnik-2021/applications/a:submit",     "{}", "503 503 503 503 503 503 503 401"},
    {"POST",   "/v1/programmes/etnik-2021/applications/a:withdraw",   "{}", "503 503 503 503 503 503 503 401"},
    {"GET",    "/v1/programmes/etnik-2021/reviewerAssignments",       "",   "503 403 403 403 403 503 403 401"},
    {"POST",   "/v1/programmes/etnik-2021/conflicts",                 "{}", "503 403 403 403 403 503 403 401"},
    {"GET",    "/v1/programmes/etnik-2021/conflicts",                 "",   "503 403 403 403 403 503 403 401"},
    {"POST",   "/v1/programmes/etnik-2021/applications/a/reviews",    "{}", "503 403 403 403 403 503 403 401"},
    {"GET",    "/v1/programmes/etnik-2021/applications/a/reviews",    "",   "503 403 403 403 403 503 403 401"},
    {"GET",    "/v1/programmes/etnik-2021/reviewProgress",            "",   "503 403 403 403 403 403 403 401"},
    {"POST",   "/v1/programmes/etnik-2021/selectionRuns",             "{}", "503 403 403 403 403 403 403 401"},
    {"GET",    "/v1/programmes/etnik-2021/selectionRuns",             "",   "503 403 403 403 403 403 403 401"},
    {"GET",    "/v1/programmes/etnik-2021/selectionRuns/r",           "",   "503 403 403 403 403 403 403 401"},
    {"GET",    "/v1/programmes/etnik-2021/offers",                    "",   "503 503 503 503 503 503 503 401"},
    {"GET",    "/v1/programmes/etnik-2021/offers/o",                  "",   "503 503 503 503 503 503 503 401"},
    {"POST",   "/v1/programmes/etnik-2021/offers/o:respond",          "{}", "503 503 503 503 503 503 503 401"},
    {"POST",   "/v1/programmes/etnik-2021/forms/f/responses",         "{}", "503 503 503 503 503 503 503 401"},
    {"GET",    "/v1/programmes/etnik-2021/forms/f/responses",         "",   "503 403 403 403 403 403 403 401"},
    {"GET",    "/v1/programmes/etnik-2021/forms/f/summary",           "",   "503 403 403 403 403 403 403 401"},
    {"GET",    "/v1/programmes/etnik-2021/participants",              "",   "503 403 403 403 403 403 503 401"},
    {"GET",    "/v1/programmes/etnik-2021/participants/p",            "",   "503 403 403 403 403 403 503 401"},
    {"GET",    "/v1/programmes/etnik-2021/registrationProgress",      "",   "503 403 403 403 403 403 403 401"},
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
      std::string path = absl::StrReplaceAll(row.path, {{"{who}", who}, {"{n}", n}});
      std::string body = absl::StrReplaceAll(row.body, {{"{who}", who}, {"{n}", n}});
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
      auto res = Send(row.method, path, token, absl::StrReplaceAll(row.body, {{"{who}", "bad"}, {"{n}", "9"}}));
      EXPECT_EQ(res->status, 401) << row.method << " " << path;
    }
  }
  EXPECT_EQ(covered.size(), Routes().size()) << "a route has no row in the matrix";
}

}  // namespace
}  // namespace etnik::gateway::testing

// The REST API through the gateway against real hubs and scheduling services: the hubs and
// scheduling flows, error mapping with google.rpc details, bad input, authentication failures,
// rate limits, CORS, request ids, OpenAPI and metrics.

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/auth/test_keys.h"
#include "common/testing/redis_server.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "services/gateway/routes/route_table.h"
#include "tests/gateway/gateway_test_env.h"

namespace etnik::gateway::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kMediaHub[] =
    R"({"programme":"programmes/etnik-2021","title":{"ru":"Информационные и медиапроекты"},"theme":"media",)"
    R"("themeTitle":{"ru":"Медиа"},"description":{"ru":"Ресурсная площадка медиа"},)"
    R"("contact":{"email":"media@etnik.example.org"}})";

std::string Expert(const std::string& name) {
  return absl::StrCat(R"({"fullName":{"ru":")", name, R"("},"timeZone":"Europe/Moscow",)",
                      R"("bio":{"ru":"Эксперт программы"},"topics":["медиа"]})");
}

class GatewayApiTest : public GatewayTest {};

TEST_F(GatewayApiTest, HubsFlowFromCreationToThePublicCatalogue) {
  auto created = Send("POST", "/v1/hubs?hubId=media", Organiser(), kMediaHub);
  ASSERT_EQ(created->status, 200) << created->body;
  EXPECT_EQ(JsonField(created->body, {"name"}), "hubs/media");
  EXPECT_THAT(created->get_header_value("Content-Type"), StartsWith("application/json"));
  // The hub lead of media adds three experts; the lead of crafts may not touch media.
  for (const char* id : {"anna", "ivan", "olga"}) {
    auto expert = Send("POST", absl::StrCat("/v1/experts?expertId=", id), Organiser(), Expert(id));
    ASSERT_EQ(expert->status, 200) << expert->body;
    auto added = Send("POST", "/v1/hubs/media/experts", Lead("media"),
                      absl::StrCat(R"({"expert":"experts/)", id, R"("})"));
    ASSERT_EQ(added->status, 200) << added->body;
  }
  auto foreign = Send("POST", "/v1/hubs/media:publish", Lead("crafts"), "{}");
  EXPECT_EQ(foreign->status, 403) << foreign->body;
  EXPECT_EQ(JsonField(foreign->body, {"error", "status"}), "PERMISSION_DENIED");
  EXPECT_EQ(JsonField(foreign->body, {"error", "details", "0", "reason"}), "NOT_HUB_LEAD");
  // Not yet in the public catalogue.
  EXPECT_EQ(Send("GET", "/v1/catalogue/hubs/media")->status, 404);
  auto published = Send("POST", "/v1/hubs/media:publish", Lead("media"), "{}");
  ASSERT_EQ(published->status, 200) << published->body;
  EXPECT_EQ(JsonField(published->body, {"state"}), "HUB_STATE_PUBLISHED");
  // Anyone, without a token, reads the catalogue.
  auto catalogue = Send("GET", "/v1/programmes/etnik-2021/catalogue/hubs");
  ASSERT_EQ(catalogue->status, 200) << catalogue->body;
  EXPECT_EQ(JsonField(catalogue->body, {"hubs", "0", "name"}), "hubs/media");
  auto one = Send("GET", "/v1/catalogue/hubs/media");
  ASSERT_EQ(one->status, 200) << one->body;
  EXPECT_THAT(one->body, HasSubstr("experts/anna"));
  auto themes = Send("GET", "/v1/programmes/etnik-2021/themes");
  ASSERT_EQ(themes->status, 200) << themes->body;
  EXPECT_EQ(JsonField(themes->body, {"themes", "0", "theme"}), "media");
  // A lead sees only its own hubs in the management list.
  auto listed = Send("GET", "/v1/hubs?programme=programmes/etnik-2021", Lead("crafts"));
  ASSERT_EQ(listed->status, 200) << listed->body;
  EXPECT_THAT(listed->body, Not(HasSubstr("hubs/media")));
  // Publishing again with a stale etag: ABORTED -> 409.
  auto stale = Send("POST", "/v1/hubs/media:close", Organiser(), R"({"etag":"stale"})");
  EXPECT_EQ(stale->status, 409) << stale->body;
}

class SchedulingFlowTest : public GatewayTest {
 protected:
  void SetUp() override {
    GatewayTest::SetUp();
    if (HasFatalFailure()) return;
    SeedScheduling();
    auto event = Send("POST", "/v1/events?eventId=media", Lead("media"),
                      R"({"programme":"programmes/etnik-2021","stage":"programmes/etnik-2021/stages/practice",)"
                      R"("kind":"EVENT_KIND_WEBINAR","title":{"ru":"Вебинары медиа-хаба"},"hub":"hubs/media",)"
                      R"("timeZone":"Europe/Moscow","openRegistration":true})");
    ASSERT_EQ(event->status, 200) << event->body;
  }

  static std::string Session(const std::string& start, const std::string& end, const std::string& host) {
    return absl::StrCat(R"({"startTime":")", start, R"(","endTime":")", end, R"(","timeZone":"Europe/Moscow",)",
                        R"("hosts":[")", host, R"("],"title":{"ru":"Вебинар"},)",
                        R"("onlineRoom":{"joinUri":"https://meet.example/media"}})");
  }
};

TEST_F(SchedulingFlowTest, BookConflictRescheduleCancelAndTheCalendarFeed) {
  auto booked = Send("POST", "/v1/events/media/sessions?sessionId=first", Lead("media"),
                     Session("2021-06-02T12:00:00Z", "2021-06-02T13:00:00Z", "experts/anna"));
  ASSERT_EQ(booked->status, 200) << booked->body;
  EXPECT_EQ(JsonField(booked->body, {"name"}), "events/media/sessions/first");
  // The same expert half an hour later: 409 naming the session in the way.
  auto conflict = Send("POST", "/v1/events/media/sessions:book", Organiser(),
                       absl::StrCat(R"({"session":)",
                                    Session("2021-06-02T12:30:00Z", "2021-06-02T13:30:00Z", "experts/anna"), "}"));
  ASSERT_EQ(conflict->status, 409) << conflict->body;
  EXPECT_EQ(JsonField(conflict->body, {"error", "code"}), "409");
  EXPECT_EQ(JsonField(conflict->body, {"error", "status"}), "FAILED_PRECONDITION");
  EXPECT_EQ(JsonField(conflict->body, {"error", "details", "0", "@type"}), "type.googleapis.com/google.rpc.ErrorInfo");
  EXPECT_EQ(JsonField(conflict->body, {"error", "details", "0", "metadata", "conflictingSession"}),
            "events/media/sessions/first");
  // A lead of another hub cannot book for media (the service decides: the event is media's).
  auto foreign = Send("POST", "/v1/events/media/sessions", Lead("crafts"),
                      Session("2021-06-05T12:00:00Z", "2021-06-05T13:00:00Z", "experts/ivan"));
  EXPECT_EQ(foreign->status, 403) << foreign->body;
  // Public reads.
  auto listed = Send("GET", "/v1/programmes/etnik-2021/sessions");
  ASSERT_EQ(listed->status, 200) << listed->body;
  EXPECT_EQ(JsonField(listed->body, {"sessions", "0", "name"}), "events/media/sessions/first");
  // Reschedule a day later, then cancel.
  auto moved = Send("POST", "/v1/events/media/sessions/first:reschedule", Lead("media"),
                    R"({"startTime":"2021-06-03T12:00:00Z","endTime":"2021-06-03T13:00:00Z"})");
  ASSERT_EQ(moved->status, 200) << moved->body;
  EXPECT_EQ(JsonField(moved->body, {"startTime"}), "2021-06-03T12:00:00Z");
  auto feed = Send("GET", "/v1/hubs/media/calendar.ics");
  ASSERT_EQ(feed->status, 200) << feed->body;
  EXPECT_THAT(feed->get_header_value("Content-Type"), StartsWith("text/calendar"));
  EXPECT_THAT(feed->body, StartsWith("BEGIN:VCALENDAR\r\n"));
  EXPECT_THAT(feed->body, HasSubstr("DTSTART"));
  EXPECT_THAT(feed->body, HasSubstr("END:VCALENDAR"));
  std::string etag = feed->get_header_value("ETag");
  ASSERT_FALSE(etag.empty());
  auto again = Send("GET", "/v1/hubs/media/calendar.ics", "", "", {{"If-None-Match", etag}});
  EXPECT_EQ(again->status, 304);
  auto cancelled = Send("POST", "/v1/events/media/sessions/first:cancel", Lead("media"), R"({"reason":"болезнь"})");
  ASSERT_EQ(cancelled->status, 200) << cancelled->body;
  EXPECT_EQ(JsonField(cancelled->body, {"state"}), "SESSION_STATE_CANCELLED");
}

TEST_F(GatewayApiTest, BadInputIsAClear400Or413NeverACrash) {
  struct Case {
    const char* method;
    const char* path;
    std::string body;
    int status;
  };
  const Case cases[] = {
      {"POST", "/v1/hubs", "{", 400},
      {"POST", "/v1/hubs", "[1,2]", 400},
      {"POST", "/v1/hubs", R"({"programme":"programmes/etnik-2021","colour":"red"})", 400},
      {"POST", "/v1/hubs", R"({"participantCapacity":"many"})", 400},
      {"POST", "/v1/hubs", R"({"title":"not an object"})", 400},
      {"POST", "/v1/hubs", "\xff\xfe\xfd", 400},
      {"POST", "/v1/hubs?hubId=a&hubId=b", kMediaHub, 400},
      {"POST", "/v1/hubs?noSuchParameter=1", kMediaHub, 400},
      {"GET", "/v1/hubs?pageSize=ten", "", 400},
      {"POST", "/v1/hubs", std::string(70 * 1024, ' '), 413},
      {"GET", "/v1/nowhere", "", 404},
      {"PUT", "/v1/hubs", "{}", 405},
  };
  for (const Case& c : cases) {
    auto res = Send(c.method, c.path, Organiser(), c.body);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, c.status) << c.method << " " << c.path << " " << c.body.substr(0, 40) << ": " << res->body;
    EXPECT_EQ(JsonField(res->body, {"error", "code"}), absl::StrCat(c.status)) << res->body;
  }
  // A violation found by the service keeps its BadRequest detail.
  auto invalid = Send("POST", "/v1/hubs", Organiser(), R"({"programme":"not a name"})");
  ASSERT_EQ(invalid->status, 400) << invalid->body;
  EXPECT_EQ(JsonField(invalid->body, {"error", "status"}), "INVALID_ARGUMENT");
  EXPECT_THAT(invalid->body, HasSubstr("google.rpc.BadRequest"));
  // The gateway still serves after all that.
  EXPECT_EQ(Send("GET", "/v1/venues")->status, 200);
}

TEST_F(GatewayApiTest, BadTokensAre401WithWwwAuthenticate) {
  const absl::Time now = clock_.Now();
  using auth::testkeys::BuildToken;
  const std::string payload = auth::testkeys::Payload(now, "etnik", R"("etnik")", absl::Hours(1),
                                                      R"(,"sub":"org-1","roles":["organiser"])");
  const std::string tokens[] = {
      Expired(),                                                                  // expired
      BuildToken(R"({"alg":"HS256","typ":"JWT"})", payload,
                 auth::testkeys::Hs256Signer(auth::testkeys::kOtherSecret)),        // wrong key
      BuildToken(R"({"alg":"none","typ":"JWT"})", payload,
                 [](absl::string_view) { return std::string(); }),                  // alg none
      BuildToken(R"({"alg":"RS256","typ":"JWT"})", payload,
                 auth::testkeys::Rs256Signer(auth::testkeys::KeyPairA())),           // alg swap
      BuildToken(R"({"alg":"HS256","typ":"JWT"})", payload,
                 auth::testkeys::Hs256Signer(auth::testkeys::KeyPairA().public_pem)),  // HS256 with the RS key
      "not-a-jwt",
      "a.b.c",
  };
  for (const std::string& token : tokens) {
    // Even on a public route a bad token is refused, so the client learns it is bad.
    for (const char* path : {"/v1/hubs", "/v1/venues"}) {
      auto res = Send("GET", path, token);
      EXPECT_EQ(res->status, 401) << token << " " << res->body;
      EXPECT_THAT(res->get_header_value("WWW-Authenticate"), HasSubstr("error=\"invalid_token\""));
      EXPECT_EQ(JsonField(res->body, {"error", "status"}), "UNAUTHENTICATED");
    }
  }
  for (const char* header : {"Basic b3JnOnB3", "Bearer", "Bearer a b"}) {
    auto res = Send("GET", "/v1/hubs", "", "", {{"Authorization", header}});
    EXPECT_EQ(res->status, 401) << header;
  }
  auto anonymous = Send("GET", "/v1/hubs");
  EXPECT_EQ(anonymous->status, 401);
  EXPECT_EQ(anonymous->get_header_value("WWW-Authenticate"), "Bearer realm=\"etnik\"");
}

TEST_F(GatewayApiTest, RateLimitPerCallerWith429AndRetryAfter) {
  RestartGateway(Limits{3, 64 * 1024});
  for (int i = 0; i < 3; ++i) ASSERT_EQ(Send("GET", "/v1/venues")->status, 200);
  auto limited = Send("GET", "/v1/venues");
  ASSERT_EQ(limited->status, 429) << limited->body;
  int retry_after = 0;
  ASSERT_TRUE(absl::SimpleAtoi(limited->get_header_value("Retry-After"), &retry_after));
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(retry_after, 60);
  EXPECT_EQ(JsonField(limited->body, {"error", "status"}), "RESOURCE_EXHAUSTED");
  // Another caller (a token) has its own budget.
  EXPECT_EQ(Send("GET", "/v1/venues", Organiser())->status, 200);
  // The next window starts afresh.
  clock_.Advance(absl::Minutes(1));
  EXPECT_EQ(Send("GET", "/v1/venues")->status, 200);
}

TEST_F(GatewayApiTest, WithoutRedisTheLimitFailsOpenAndTheOutageIsCounted) {
  RestartGateway(Limits{1, 64 * 1024});
  ASSERT_TRUE(Redis().Stop().ok());
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Send("GET", "/v1/venues")->status, 200);
  auto metrics = Send("GET", "/metrics");
  ASSERT_TRUE(Redis().Start().ok());
  EXPECT_THAT(metrics->body, HasSubstr("etnik_gateway_rate_limit_fail_open_total 3"));
}

TEST_F(GatewayApiTest, CorsPreflightForTheConfiguredOriginOnly) {
  auto ok = Send("OPTIONS", "/v1/hubs", "", "",
                 {{"Origin", "https://etnik.example.org"}, {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(ok->status, 204);
  EXPECT_EQ(ok->get_header_value("Access-Control-Allow-Origin"), "https://etnik.example.org");
  EXPECT_THAT(ok->get_header_value("Access-Control-Allow-Methods"), HasSubstr("PATCH"));
  EXPECT_THAT(ok->get_header_value("Access-Control-Allow-Headers"), HasSubstr("Authorization"));
  auto other = Send("OPTIONS", "/v1/hubs", "", "", {{"Origin", "https://evil.example"}});
  EXPECT_EQ(other->status, 403);
  EXPECT_EQ(other->get_header_value("Access-Control-Allow-Origin"), "");
  auto simple = Send("GET", "/v1/venues", "", "", {{"Origin", "https://etnik.example.org"}});
  EXPECT_EQ(simple->get_header_value("Access-Control-Allow-Origin"), "https://etnik.example.org");
}

TEST_F(GatewayApiTest, RequestIdsTravelInAndOut) {
  auto given = Send("GET", "/v1/venues", "", "", {{"X-Request-Id", "req-42.a_b"}});
  EXPECT_EQ(given->get_header_value("X-Request-Id"), "req-42.a_b");
  auto made = Send("GET", "/v1/venues", "", "", {{"X-Request-Id", "bad id with spaces"}});
  EXPECT_EQ(made->get_header_value("X-Request-Id").size(), 32u);
  EXPECT_NE(Send("GET", "/v1/venues")->get_header_value("X-Request-Id"), made->get_header_value("X-Request-Id"));
}

TEST_F(GatewayApiTest, UnreachableBackendIs503) {
  LoseBackend("registration");
  auto res = Send("GET", "/v1/programmes");
  EXPECT_EQ(res->status, 503) << res->body;
  EXPECT_EQ(JsonField(res->body, {"error", "status"}), "UNAVAILABLE");
  EXPECT_EQ(JsonField(res->body, {"error", "message"}), "the registration service is unavailable");
}

TEST_F(GatewayApiTest, OpenApiListsEveryRouteAndMetricsCountThem) {
  auto doc = Send("GET", "/v1/openapi.json");
  ASSERT_EQ(doc->status, 200);
  google::protobuf::Struct parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(doc->body, &parsed).ok());
  const auto& paths = parsed.fields().at("paths").struct_value().fields();
  size_t operations = 0;
  for (const auto& [path, item] : paths) operations += item.struct_value().fields_size();
  EXPECT_EQ(operations, Routes().size());
  for (const Route& route : Routes()) {
    ASSERT_TRUE(paths.count(route.path.OpenApiPath())) << route.path.OpenApiPath();
    std::string method = route.spec.http_method;
    for (char& c : method) c = static_cast<char>(std::tolower(c));
    EXPECT_TRUE(paths.at(route.path.OpenApiPath()).struct_value().fields().count(method)) << route.spec.path;
  }
  Send("GET", "/v1/venues");
  Send("GET", "/v1/hubs");
  auto metrics = Send("GET", "/metrics");
  ASSERT_EQ(metrics->status, 200);
  EXPECT_THAT(metrics->body,
              HasSubstr(R"(etnik_gateway_http_requests_total{code="200",method="GET",route="/v1/venues"} 1)"));
  EXPECT_THAT(metrics->body,
              HasSubstr(R"(etnik_gateway_http_requests_total{code="401",method="GET",route="/v1/hubs"} 1)"));
  EXPECT_THAT(metrics->body, HasSubstr("etnik_gateway_http_request_duration_seconds_bucket"));
}

}  // namespace
}  // namespace etnik::gateway::testing

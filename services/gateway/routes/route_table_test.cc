// The route table: it builds, every RPC of the four user-facing services has a route, templates match the
// right paths, and requests are transcoded strictly.

#include "services/gateway/routes/route_table.h"

#include <set>

#include "etnik/hubs/v1/hubs_service.pb.h"
#include "etnik/notifications/v1/notifications_service.pb.h"
#include "etnik/registration/v1/registration_service.pb.h"
#include "etnik/scheduling/v1/scheduling_service.pb.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "services/gateway/http/transcode.h"
#include "services/gateway/routes/openapi.h"

namespace etnik::gateway {
namespace {

TEST(RouteTable, EveryRpcOfTheUserFacingServicesHasARoute) {
  std::set<std::string> routed;
  for (const Route& route : Routes()) routed.insert(route.method->full_name());
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  int rpcs = 0;
  for (const char* name : {"etnik.hubs.v1.HubsService", "etnik.scheduling.v1.SchedulingService",
                           "etnik.registration.v1.RegistrationService",
                           "etnik.notifications.v1.NotificationsService"}) {
    const google::protobuf::ServiceDescriptor* service = pool->FindServiceByName(name);
    ASSERT_NE(service, nullptr) << name;
    for (int i = 0; i < service->method_count(); ++i) {
      ++rpcs;
      EXPECT_TRUE(routed.count(service->method(i)->full_name())) << "no route for " << service->method(i)->full_name();
    }
  }
  EXPECT_EQ(routed.size(), static_cast<size_t>(rpcs));
}

TEST(RouteTable, NoTwoRoutesShareAMethodAndPath) {
  std::set<std::pair<std::string, std::string>> seen;
  for (const Route& route : Routes()) {
    EXPECT_TRUE(seen.insert({route.spec.http_method, route.path.OpenApiPath()}).second)
        << route.spec.http_method << " " << route.spec.path;
  }
}

TEST(RouteTable, FindsTheRouteAndBindsItsVariables) {
  std::map<std::string, std::string> bound;
  const Route* r = FindRoute("POST", "/v1/programmes/etnik-2021/applications/a1:submit", &bound);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->method->name(), "SubmitApplication");
  EXPECT_EQ(bound["name"], "programmes/etnik-2021/applications/a1");

  r = FindRoute("DELETE", "/v1/hubs/media/experts/anna", &bound);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->method->name(), "RemoveExpert");
  EXPECT_EQ(bound["hub"], "hubs/media");
  EXPECT_EQ(bound["expert"], "experts/anna");

  r = FindRoute("GET", "/v1/hubs/media/calendar.ics", &bound);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->method->name(), "GetCalendarFeed");
  EXPECT_EQ(bound["hub"], "hubs/media");

  r = FindRoute("PATCH", "/v1/hubs/media", &bound);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(bound["hub.name"], "hubs/media");

  EXPECT_EQ(FindRoute("GET", "/v1/hubs/media:publish", &bound), nullptr);  // verb needs POST
  EXPECT_TRUE(PathKnown("/v1/hubs/media:publish"));
  EXPECT_EQ(FindRoute("GET", "/v1/hubs//x", &bound), nullptr);
  EXPECT_EQ(FindRoute("GET", "/v1/nothing/here", &bound), nullptr);
  EXPECT_FALSE(PathKnown("/v1/nothing/here"));
}

TEST(Transcode, PathWinsOverBodyAndQueryFillsTheRest) {
  std::map<std::string, std::string> bound;
  const Route* r = FindRoute("PATCH", "/v1/hubs/media", &bound);
  ASSERT_NE(r, nullptr);
  auto request = BuildRequest(*r, bound, {{"update_mask", "title,capacity,themeTitle,contact.email"}},
                              R"({"name":"hubs/other","title":{"ru":"Медиа"}})");
  ASSERT_TRUE(request.ok()) << request.status();
  const auto& update = static_cast<const etnik::hubs::v1::UpdateHubRequest&>(**request);
  EXPECT_EQ(update.hub().name(), "hubs/media");
  EXPECT_EQ(update.hub().title().ru(), "Медиа");
  ASSERT_EQ(update.update_mask().paths_size(), 4);
  EXPECT_EQ(update.update_mask().paths(1), "capacity");
  // JSON names in a mask reach the service as the proto's own names.
  EXPECT_EQ(update.update_mask().paths(2), "theme_title");
  EXPECT_EQ(update.update_mask().paths(3), "contact.email");
}

TEST(Transcode, QueryParametersAreTypedAndRepeatable) {
  std::map<std::string, std::string> bound;
  const Route* r = FindRoute("GET", "/v1/programmes/etnik-2021/sessions", &bound);
  ASSERT_NE(r, nullptr);
  auto request = BuildRequest(*r, bound,
                              {{"pageSize", "5"}, {"states", "SESSION_STATE_SCHEDULED"},
                               {"startTime", "2021-06-01T00:00:00Z"}},
                              "");
  ASSERT_TRUE(request.ok()) << request.status();
  const auto& list = static_cast<const etnik::scheduling::v1::ListSessionsRequest&>(**request);
  EXPECT_EQ(list.parent(), "events/-");
  EXPECT_EQ(list.programme(), "programmes/etnik-2021");
  EXPECT_EQ(list.page_size(), 5);
  EXPECT_EQ(list.states_size(), 1);
  EXPECT_EQ(list.start_time().seconds(), 1622505600);

  EXPECT_FALSE(BuildRequest(*r, bound, {{"pageSize", "many"}}, "").ok());
  EXPECT_FALSE(BuildRequest(*r, bound, {{"noSuchField", "1"}}, "").ok());
  EXPECT_FALSE(BuildRequest(*r, bound, {{"pageSize", "1"}, {"pageSize", "2"}}, "").ok());
  EXPECT_FALSE(BuildRequest(*r, bound, {{"programme", "programmes/x"}}, "").ok());  // the path gives it
  EXPECT_FALSE(BuildRequest(*r, bound, {}, "{}").ok());                               // GET takes no body
}

TEST(Transcode, BadBodiesAreInvalidArgument) {
  std::map<std::string, std::string> bound;
  const Route* r = FindRoute("POST", "/v1/hubs", &bound);
  ASSERT_NE(r, nullptr);
  for (const char* body : {"{", "[]", R"({"unknownField": 1})", R"({"participantCapacity": "lots"})", R"({"title": 5})",
                           "\xff\xfe", R"({"participantCapacity": 1e99})", "null"}) {
    auto request = BuildRequest(*r, bound, {}, body);
    ASSERT_FALSE(request.ok()) << body;
    EXPECT_EQ(request.status().code(), absl::StatusCode::kInvalidArgument) << body;
  }
  EXPECT_TRUE(BuildRequest(*r, bound, {}, R"({"programme":"programmes/p","participantCapacity":10})").ok());
}

TEST(OpenApi, DescribesEveryRoute) {
  google::protobuf::Struct doc;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(OpenApiJson(), &doc).ok());
  EXPECT_EQ(doc.fields().at("openapi").string_value(), "3.0.3");
  const auto& paths = doc.fields().at("paths").struct_value().fields();
  size_t operations = 0;
  for (const auto& [path, item] : paths) operations += item.struct_value().fields_size();
  EXPECT_EQ(operations, Routes().size());
  ASSERT_TRUE(paths.count("/v1/programmes/{programme}/applications/{application}:submit"));
}

}  // namespace
}  // namespace etnik::gateway

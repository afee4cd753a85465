#ifndef ETNIK_SERVICES_GATEWAY_ROUTES_ROUTE_TABLE_H_
#define ETNIK_SERVICES_GATEWAY_ROUTES_ROUTE_TABLE_H_

// Every REST route of the gateway as data: HTTP method and URL template -> backend RPC, the
// body binding, who may call it, and how the answer is sent. The dispatcher, the authorisation
// gate and the OpenAPI document are all derived from this one table.

#include <cstdint>
#include <string>
#include <vector>

#include "common/auth/identity.h"
#include "google/protobuf/descriptor.h"
#include "services/gateway/routes/path_template.h"

namespace etnik::gateway {

// Who may call a route: a set of roles, or anyone (even without a token) for public reads.
// The gateway's check is coarse (role level, plus "a hub lead only for its own hubs"); each
// service still checks the fine rules itself.
enum Access : uint32_t {
  kOrganiser = 1u << 0,
  kReviewer = 1u << 1,
  kHubLead = 1u << 2,
  kExpert = 1u << 3,
  kParticipant = 1u << 4,
  kService = 1u << 5,
  kAnyRole = (1u << 6) - 1,  // any verified token (a token with no roles too)
  kPublic = 1u << 6,         // anyone, also anonymous
};

// One row of the table as written in route_table.cc.
struct RouteSpec {
  const char* http_method;  // GET, POST, PATCH, DELETE
  const char* path;         // "/v1/{name=hubs/*}:publish"
  const char* backend;      // "hubs", "scheduling", "registration", "notifications"
  const char* rpc;          // "etnik.hubs.v1.HubsService.PublishHub"
  const char* body;         // "" none, "*" the whole request, or a request field
  uint32_t access;          // Access bits
  const char* hub_field;    // path field naming hubs/{hub}[/...]: hub leads must lead it; "" none
  const char* raw_body;     // response bytes field sent as is (iCalendar, CSV); "" for JSON
  const char* defaults;     // "field=value" set before binding; "" none
};

// A table row made ready: the template parsed and the RPC's descriptors resolved.
struct Route {
  RouteSpec spec;
  PathTemplate path;
  std::string grpc_method;  // "/etnik.hubs.v1.HubsService/PublishHub"
  const google::protobuf::MethodDescriptor* method = nullptr;
};

// The table, validated once (templates parse, RPCs and body fields exist); aborts the process
// on a programming error in the table, which the unit test catches first.
const std::vector<Route>& Routes();

// The first route whose method and template match; nullptr when none (the caller tells 404 from
// 405 with PathKnown).
const Route* FindRoute(const std::string& http_method, const std::string& path,
                       std::map<std::string, std::string>* bound);
bool PathKnown(const std::string& path);

// True when `access` lets `who` in at role level (public, or any shared role).
bool RolesAllow(uint32_t access, const auth::Identity& who);

}  // namespace etnik::gateway

#endif  // ETNIK_SERVICES_GATEWAY_ROUTES_ROUTE_TABLE_H_

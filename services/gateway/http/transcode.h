#ifndef ETNIK_SERVICES_GATEWAY_HTTP_TRANSCODE_H_
#define ETNIK_SERVICES_GATEWAY_HTTP_TRANSCODE_H_

// HTTP <-> protobuf for one route: the request message from path variables, query parameters
// and a proto3-JSON body; the answer as proto3 JSON. Every failure is INVALID_ARGUMENT with a
// message that says what was wrong (never a crash, whatever the input).

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "services/gateway/routes/route_table.h"

namespace etnik::gateway {

// Deepest nesting of objects and arrays a JSON body may have; deeper bodies are refused before
// parsing (the parser recurses per level).
inline constexpr int kMaxJsonDepth = 64;

// How deep `json` nests objects and arrays (strings and escapes understood; no validation).
int JsonDepth(absl::string_view json);

// query: decoded query parameters (a key may repeat, for repeated fields).
absl::StatusOr<std::unique_ptr<google::protobuf::Message>> BuildRequest(
    const Route& route, const std::map<std::string, std::string>& bound,
    const std::multimap<std::string, std::string>& query, const std::string& body);

// proto3 JSON (lowerCamelCase names, enums as names).
std::string ToJson(const google::protobuf::Message& message);

}  // namespace etnik::gateway

#endif  // ETNIK_SERVICES_GATEWAY_HTTP_TRANSCODE_H_

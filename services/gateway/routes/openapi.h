#ifndef ETNIK_SERVICES_GATEWAY_ROUTES_OPENAPI_H_
#define ETNIK_SERVICES_GATEWAY_ROUTES_OPENAPI_H_

#include <string>

namespace etnik::gateway {

// An OpenAPI 3.0 document of every route in the table: path and query parameters, the request
// body (proto3 JSON of the named message), who may call it, and the error shape. Built once.
const std::string& OpenApiJson();

}  // namespace etnik::gateway

#endif  // ETNIK_SERVICES_GATEWAY_ROUTES_OPENAPI_H_

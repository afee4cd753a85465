#ifndef ETNIK_SERVICES_GATEWAY_HTTP_HTTP_SERVER_H_
#define ETNIK_SERVICES_GATEWAY_HTTP_HTTP_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/auth/authenticator.h"
#include "common/server/http_listener.h"
#include "prometheus/registry.h"
#include "services/gateway/clients/backends.h"
#include "services/gateway/http/rate_limiter.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace etnik::gateway {

struct HttpOptions {
  absl::Duration backend_deadline = absl::Seconds(10);  // on every backend call
  size_t max_body_bytes = 1 << 20;                      // larger bodies: 413
  std::string cors_origin;                              // allowed browser origin; empty: no CORS
};

class HttpMetrics;

// The gateway's HTTP face: the REST/JSON API under /v1 (routes/route_table.cc), its OpenAPI
// description at /v1/openapi.json, /healthz (each backend's gRPC health) and /metrics.
class HttpServer {
 public:
  // References must outlive the server.
  HttpServer(const Backends& backends, const auth::Authenticator& authenticator, RateLimiter& limiter,
             prometheus::Registry& registry, HttpOptions options);
  ~HttpServer();

  absl::Status Start(const std::string& address) { return listener_.Start(address); }
  int port() const { return listener_.port(); }
  void Stop() { listener_.Stop(); }

 private:
  // Serves one /v1 request; returns the route label for metrics.
  std::string Serve(const httplib::Request& req, httplib::Response& res);
  void Handle(const httplib::Request& req, httplib::Response& res);
  bool OriginAllowed(const httplib::Request& req) const;

  const Backends& backends_;
  const auth::Authenticator& authenticator_;
  RateLimiter& limiter_;
  prometheus::Registry& registry_;
  HttpOptions options_;
  std::unique_ptr<HttpMetrics> metrics_;
  server::HttpListener listener_;
};

}  // namespace etnik::gateway

#endif  // ETNIK_SERVICES_GATEWAY_HTTP_HTTP_SERVER_H_

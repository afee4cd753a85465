#ifndef ETNIK_SERVICES_GATEWAY_HTTP_HTTP_SERVER_H_
#define ETNIK_SERVICES_GATEWAY_HTTP_HTTP_SERVER_H_

#include <string>

#include "absl/status/status.h"
#include "common/server/http_listener.h"
#include "services/gateway/clients/backends.h"

namespace etnik::gateway {

// The gateway's HTTP face. Today: /healthz (each backend's gRPC health).
class HttpServer {
 public:
  explicit HttpServer(const Backends& backends);

  absl::Status Start(const std::string& address) { return listener_.Start(address); }
  int port() const { return listener_.port(); }
  void Stop() { listener_.Stop(); }

 private:
  const Backends& backends_;
  server::HttpListener listener_;
};

}  // namespace etnik::gateway

#endif  // ETNIK_SERVICES_GATEWAY_HTTP_HTTP_SERVER_H_

#ifndef ETNIK_COMMON_SERVER_METRICS_INTERCEPTOR_H_
#define ETNIK_COMMON_SERVER_METRICS_INTERCEPTOR_H_

// Standard gRPC server metrics (the names of go-grpc-prometheus, so stock dashboards work):
//   grpc_server_started_total{grpc_type,grpc_service,grpc_method}
//   grpc_server_handled_total{grpc_type,grpc_service,grpc_method,grpc_code}
//   grpc_server_handling_seconds{grpc_type,grpc_service,grpc_method} (histogram)

#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "grpcpp/support/server_interceptor.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace etnik::server {

class GrpcServerMetrics {
 public:
  explicit GrpcServerMetrics(prometheus::Registry& registry);

  prometheus::Family<prometheus::Counter>& started;
  prometheus::Family<prometheus::Counter>& handled;
  prometheus::Family<prometheus::Histogram>& handling_seconds;
};

// "OK", "InvalidArgument", ... as gRPC's own code names.
std::string GrpcCodeName(grpc::StatusCode code);

// Splits "/etnik.hubs.v1.HubsService/CreateHub" into service and method.
std::pair<std::string, std::string> SplitFullMethod(absl::string_view full_method);

// Creates one interceptor per call that records the metrics above.
class MetricsInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit MetricsInterceptorFactory(std::shared_ptr<GrpcServerMetrics> metrics)
      : metrics_(std::move(metrics)) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(grpc::experimental::ServerRpcInfo* info) override;

 private:
  std::shared_ptr<GrpcServerMetrics> metrics_;
};

}  // namespace etnik::server

#endif  // ETNIK_COMMON_SERVER_METRICS_INTERCEPTOR_H_

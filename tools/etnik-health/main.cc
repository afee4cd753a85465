// etnik-health: waits until every given gRPC server reports SERVING (grpc.health.v1).
//   etnik-health [--wait=30s] [--service=NAME] host:port...
// Exit code 0 when all are SERVING in time, 1 otherwise; one line per target either way.

#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

ABSL_FLAG(absl::Duration, wait, absl::Seconds(0), "How long to keep trying before giving up");
ABSL_FLAG(std::string, service, "", "Service name to check; empty checks the server as a whole");

namespace {

using grpc::health::v1::HealthCheckResponse;

// One check with a short deadline; returns the status name or the error.
std::string CheckOnce(const std::string& target, const std::string& service, bool* serving) {
  auto channel = grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
  auto stub = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(1));
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  HealthCheckResponse response;
  grpc::Status status = stub->Check(&context, request, &response);
  *serving = status.ok() && response.status() == HealthCheckResponse::SERVING;
  if (!status.ok()) return "unreachable (" + status.error_message() + ")";
  return HealthCheckResponse::ServingStatus_Name(response.status());
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("Waits until gRPC servers report SERVING. Usage: etnik-health [--wait=30s] host:port...");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  if (args.size() < 2) {
    std::fprintf(stderr, "etnik-health: give at least one host:port\n");
    return 2;
  }
  const absl::Time deadline = absl::Now() + absl::GetFlag(FLAGS_wait);
  const std::string service = absl::GetFlag(FLAGS_service);
  bool all_serving = true;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string target = args[i];
    bool serving = false;
    std::string state = CheckOnce(target, service, &serving);
    while (!serving && absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(200));
      state = CheckOnce(target, service, &serving);
    }
    std::printf("%-22s %s\n", target.c_str(), state.c_str());
    all_serving = all_serving && serving;
  }
  return all_serving ? 0 : 1;
}

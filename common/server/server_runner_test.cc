#include "common/server/server_runner.h"

#include <curl/curl.h>
#include <signal.h>

#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "common/server/request_id.h"
#include "echo.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"

namespace etnik::server {
namespace {

using ::testing::HasSubstr;
using HealthRequest = grpc::health::v1::HealthCheckRequest;
using HealthResponse = grpc::health::v1::HealthCheckResponse;

class EchoService final : public etnik::testing::v1::EchoService::CallbackService {
 public:
  absl::Notification started_slow_call;

  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* context, const etnik::testing::v1::EchoRequest* request,
                                 etnik::testing::v1::EchoResponse* response) override {
    auto* reactor = context->DefaultReactor();
    if (request->delay_ms() > 0) {
      if (!started_slow_call.HasBeenNotified()) started_slow_call.Notify();
      absl::SleepFor(absl::Milliseconds(request->delay_ms()));
    }
    response->set_message(request->message());
    response->set_request_id(RequestIdOf(*context));
    reactor->Finish(grpc::Status(static_cast<grpc::StatusCode>(request->fail_code()), "asked to fail"));
    return reactor;
  }
};

std::string HttpGet(const std::string& url) {
  std::string body;
  CURL* curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 5L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, +[](char* data, size_t size, size_t n, void* out) {
    static_cast<std::string*>(out)->append(data, size * n);
    return size * n;
  });
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  EXPECT_EQ(curl_easy_perform(curl), CURLE_OK) << url;
  curl_easy_cleanup(curl);
  return body;
}

class ServerRunnerTest : public ::testing::Test {
 protected:
  void StartServer(ServerOptions options = {}) {
    options.name = "echo";
    runner_ = std::make_unique<ServerRunner>(options);
    runner_->AddService(&service_, etnik::testing::v1::EchoService::service_full_name());
    ASSERT_TRUE(runner_->Start().ok());
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", runner_->grpc_port()),
                                   grpc::InsecureChannelCredentials());
  }

  grpc::Status Echo(const std::string& message, int delay_ms = 0, int fail_code = 0,
                    etnik::testing::v1::EchoResponse* out = nullptr, grpc::ClientContext* ctx = nullptr) {
    auto stub = etnik::testing::v1::EchoService::NewStub(channel_);
    grpc::ClientContext local;
    if (ctx == nullptr) ctx = &local;
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    etnik::testing::v1::EchoRequest request;
    request.set_message(message);
    request.set_delay_ms(delay_ms);
    request.set_fail_code(fail_code);
    etnik::testing::v1::EchoResponse response;
    grpc::Status status = stub->Echo(ctx, request, &response);
    if (out) *out = response;
    return status;
  }

  HealthResponse::ServingStatus Health(const std::string& service) {
    auto stub = grpc::health::v1::Health::NewStub(channel_);
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
    HealthRequest request;
    request.set_service(service);
    HealthResponse response;
    grpc::Status status = stub->Check(&ctx, request, &response);
    if (!status.ok()) return HealthResponse::UNKNOWN;
    return response.status();
  }

  EchoService service_;
  std::unique_ptr<ServerRunner> runner_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(ServerRunnerTest, ServesOnPortZeroWithHealthPerServiceAndOverall) {
  StartServer();
  EXPECT_GT(runner_->grpc_port(), 0);
  EXPECT_GT(runner_->metrics_port(), 0);
  etnik::testing::v1::EchoResponse response;
  ASSERT_TRUE(Echo("привет", 0, 0, &response).ok());
  EXPECT_EQ(response.message(), "привет");
  EXPECT_EQ(Health(""), HealthResponse::SERVING);
  EXPECT_EQ(Health("etnik.testing.v1.EchoService"), HealthResponse::SERVING);
  runner_->SetServing(false);
  EXPECT_EQ(Health(""), HealthResponse::NOT_SERVING);
  EXPECT_EQ(Health("etnik.testing.v1.EchoService"), HealthResponse::NOT_SERVING);
}

TEST_F(ServerRunnerTest, MetricsCarryStandardNamesAndLabels) {
  StartServer();
  ASSERT_TRUE(Echo("a").ok());
  ASSERT_TRUE(Echo("b").ok());
  EXPECT_EQ(Echo("c", 0, static_cast<int>(grpc::StatusCode::FAILED_PRECONDITION)).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  std::string metrics = HttpGet(absl::StrCat("http://127.0.0.1:", runner_->metrics_port(), "/metrics"));
  EXPECT_THAT(metrics, HasSubstr("grpc_server_started_total{grpc_method=\"Echo\",grpc_service=\"etnik.testing.v1."
                                 "EchoService\",grpc_type=\"unary\"} 3"));
  EXPECT_THAT(metrics, HasSubstr("grpc_server_handled_total{grpc_code=\"OK\",grpc_method=\"Echo\",grpc_service="
                                 "\"etnik.testing.v1.EchoService\",grpc_type=\"unary\"} 2"));
  EXPECT_THAT(metrics, HasSubstr("grpc_server_handled_total{grpc_code=\"FailedPrecondition\",grpc_method=\"Echo\","
                                 "grpc_service=\"etnik.testing.v1.EchoService\",grpc_type=\"unary\"} 1"));
  EXPECT_THAT(metrics, HasSubstr("grpc_server_handling_seconds_count{grpc_method=\"Echo\",grpc_service=\"etnik."
                                 "testing.v1.EchoService\",grpc_type=\"unary\"} 3"));
  EXPECT_THAT(metrics, HasSubstr("grpc_server_handling_seconds_bucket{grpc_method=\"Echo\",grpc_service=\"etnik."
                                 "testing.v1.EchoService\",grpc_type=\"unary\",le=\"+Inf\"} 3"));
}

TEST_F(ServerRunnerTest, RequestIdIsKeptFromCallerOrMadeAndReturned) {
  StartServer();
  etnik::testing::v1::EchoResponse response;
  grpc::ClientContext with_id;
  with_id.AddMetadata(kRequestIdKey, "req-from-gateway");
  ASSERT_TRUE(Echo("x", 0, 0, &response, &with_id).ok());
  EXPECT_EQ(response.request_id(), "req-from-gateway");
  auto returned = with_id.GetServerInitialMetadata().find(kRequestIdKey);
  ASSERT_NE(returned, with_id.GetServerInitialMetadata().end());
  EXPECT_EQ(std::string(returned->second.data(), returned->second.size()), "req-from-gateway");

  grpc::ClientContext without_id;
  ASSERT_TRUE(Echo("x", 0, 0, &response, &without_id).ok());
  EXPECT_THAT(response.request_id(), ::testing::StartsWith("r-"));
  auto made = without_id.GetServerInitialMetadata().find(kRequestIdKey);
  ASSERT_NE(made, without_id.GetServerInitialMetadata().end());
  EXPECT_EQ(std::string(made->second.data(), made->second.size()), response.request_id());

  grpc::ClientContext hostile;
  hostile.AddMetadata(kRequestIdKey, std::string(500, 'z'));
  ASSERT_TRUE(Echo("x", 0, 0, &response, &hostile).ok());
  EXPECT_THAT(response.request_id(), ::testing::StartsWith("r-"));
}

TEST_F(ServerRunnerTest, ShutdownReportsNotServingAndLetsInFlightCallsFinish) {
  ServerOptions options;
  options.drain_delay = absl::Milliseconds(500);
  StartServer(options);
  grpc::Status slow_status;
  std::thread slow([&] { slow_status = Echo("slow", 800); });
  service_.started_slow_call.WaitForNotification();
  std::thread stopper([&] { runner_->Shutdown(); });
  // During the drain delay health says NOT_SERVING while the server still answers.
  absl::SleepFor(absl::Milliseconds(200));
  EXPECT_EQ(Health(""), HealthResponse::NOT_SERVING);
  EXPECT_EQ(Health("etnik.testing.v1.EchoService"), HealthResponse::NOT_SERVING);
  stopper.join();
  slow.join();
  EXPECT_TRUE(slow_status.ok()) << slow_status.error_message();
  EXPECT_EQ(Echo("late").error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(ServerRunnerTest, StartFailsClearlyWhenThePortIsTaken) {
  StartServer();
  ServerOptions options;
  options.name = "second";
  options.grpc_address = absl::StrCat("127.0.0.1:", runner_->grpc_port());
  ServerRunner second(options);
  EchoService other;
  second.AddService(&other, etnik::testing::v1::EchoService::service_full_name());
  absl::Status status = second.Start();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(status.message()), HasSubstr("cannot listen"));
}

TEST(TerminationSignals, SigtermIsReceivedByTheWaiter) {
  BlockTerminationSignals();
  std::thread sender([] {
    absl::SleepFor(absl::Milliseconds(50));
    kill(getpid(), SIGTERM);
  });
  EXPECT_EQ(WaitForTerminationSignal(), SIGTERM);
  sender.join();
}

}  // namespace
}  // namespace etnik::server

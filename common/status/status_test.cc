#include "common/status/grpc_status.h"

#include "common/status/errors.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace etnik {
namespace {

TEST(StatusMapping, OkMapsToOk) { EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok()); }

TEST(StatusMapping, EveryCanonicalCodeKeepsItsNumber) {
  for (int code = 1; code <= 16; ++code) {
    absl::Status in(static_cast<absl::StatusCode>(code), "boom");
    grpc::Status out = ToGrpcStatus(in);
    EXPECT_EQ(static_cast<int>(out.error_code()), code);
    EXPECT_EQ(out.error_message(), "boom");
  }
}

TEST(StatusMapping, FieldViolationsBecomeBadRequestDetails) {
  absl::Status in = InvalidArgumentError(
      "application is invalid", {{"inn", "ИНН должен содержать 10 или 12 цифр"}, {"email", "not an email"}});
  grpc::Status out = ToGrpcStatus(in);
  ASSERT_EQ(out.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::Status rpc;
  ASSERT_TRUE(rpc.ParseFromString(out.error_details()));
  EXPECT_EQ(rpc.code(), 3);
  ASSERT_EQ(rpc.details_size(), 1);
  google::rpc::BadRequest bad;
  ASSERT_TRUE(rpc.details(0).UnpackTo(&bad));
  ASSERT_EQ(bad.field_violations_size(), 2);
  EXPECT_EQ(bad.field_violations(0).field(), "inn");
  EXPECT_EQ(bad.field_violations(0).description(), "ИНН должен содержать 10 или 12 цифр");
  EXPECT_EQ(bad.field_violations(1).field(), "email");
}

TEST(StatusMapping, ErrorInfoCarriesReasonDomainAndMetadata) {
  absl::Status in = ErrorWithInfo(absl::StatusCode::kFailedPrecondition, "expert is busy",
                                  "EXPERT_DOUBLE_BOOKED", {{"conflicting_session", "sessions/42"}});
  grpc::Status out = ToGrpcStatus(in);
  google::rpc::Status rpc;
  ASSERT_TRUE(rpc.ParseFromString(out.error_details()));
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(rpc.details(0).UnpackTo(&info));
  EXPECT_EQ(info.reason(), "EXPERT_DOUBLE_BOOKED");
  EXPECT_EQ(info.domain(), "etnik.dev");
  EXPECT_EQ(info.metadata().at("conflicting_session"), "sessions/42");
}

TEST(StatusMapping, RoundTripThroughGrpcKeepsDetails) {
  absl::Status in = ErrorWithInfo(absl::StatusCode::kAborted, "etag mismatch", "ETAG_MISMATCH");
  absl::Status back = FromGrpcStatus(ToGrpcStatus(in));
  EXPECT_EQ(back.code(), absl::StatusCode::kAborted);
  ASSERT_TRUE(GetErrorInfo(back).has_value());
  EXPECT_EQ(GetErrorInfo(back)->reason, "ETAG_MISMATCH");
  EXPECT_TRUE(GetFieldViolations(back).empty());
}

TEST(StatusMapping, PlainStatusHasNoDetails) {
  absl::Status plain = absl::NotFoundError("no such hub");
  EXPECT_FALSE(GetErrorInfo(plain).has_value());
  EXPECT_TRUE(GetFieldViolations(plain).empty());
  google::rpc::Status rpc;
  ASSERT_TRUE(rpc.ParseFromString(ToGrpcStatus(plain).error_details()));
  EXPECT_EQ(rpc.details_size(), 0);
  EXPECT_EQ(rpc.message(), "no such hub");
}

}  // namespace
}  // namespace etnik

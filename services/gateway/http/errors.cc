#include "services/gateway/http/errors.h"

#include "common/status/grpc_status.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/status.pb.h"

namespace etnik::gateway {

int HttpStatusFor(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK: return 200;
    case grpc::StatusCode::CANCELLED: return 499;
    case grpc::StatusCode::INVALID_ARGUMENT: return 400;
    case grpc::StatusCode::OUT_OF_RANGE: return 400;
    case grpc::StatusCode::DEADLINE_EXCEEDED: return 504;
    case grpc::StatusCode::NOT_FOUND: return 404;
    case grpc::StatusCode::ALREADY_EXISTS: return 409;
    case grpc::StatusCode::ABORTED: return 409;
    case grpc::StatusCode::FAILED_PRECONDITION: return 409;
    case grpc::StatusCode::PERMISSION_DENIED: return 403;
    case grpc::StatusCode::UNAUTHENTICATED: return 401;
    case grpc::StatusCode::RESOURCE_EXHAUSTED: return 429;
    case grpc::StatusCode::UNIMPLEMENTED: return 501;
    case grpc::StatusCode::UNAVAILABLE: return 503;
    default: return 500;  // UNKNOWN, INTERNAL, DATA_LOSS
  }
}

std::string CodeName(grpc::StatusCode code) {
  static const char* const kNames[] = {
      "OK",        "CANCELLED",         "UNKNOWN",        "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
      "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED",
      "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"};
  int i = static_cast<int>(code);
  return i >= 0 && i < 17 ? kNames[i] : "UNKNOWN";
}

namespace {

// Messages may quote client input; JSON (and protobuf strings) need valid UTF-8.
std::string ValidUtf8(const std::string& in) {
  std::string out;
  size_t i = 0;
  while (i < in.size()) {
    unsigned char c = static_cast<unsigned char>(in[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    bool ok = len > 0 && i + len <= in.size();
    for (size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(in[i + k]) >> 6) == 0x2;
    if (ok) {
      out.append(in, i, len);
      i += len;
    } else {
      out.push_back('?');
      ++i;
    }
  }
  return out;
}

}  // namespace

std::string ErrorJson(const grpc::Status& status) { return ErrorJson(status, HttpStatusFor(status.error_code())); }

std::string ErrorJson(const grpc::Status& status, int http_code) {
  google::protobuf::Struct error;
  auto& fields = *error.mutable_fields();
  fields["code"].set_number_value(http_code);
  fields["status"].set_string_value(CodeName(status.error_code()));
  fields["message"].set_string_value(ValidUtf8(status.error_message()));
  google::protobuf::ListValue* details = fields["details"].mutable_list_value();
  google::rpc::Status rich;
  if (!status.error_details().empty() && rich.ParseFromString(status.error_details())) {
    for (const google::protobuf::Any& any : rich.details()) {
      std::string json;
      google::protobuf::Value value;
      if (google::protobuf::util::MessageToJsonString(any, &json).ok() &&
          google::protobuf::util::JsonStringToMessage(json, &value).ok()) {
        *details->add_values() = value;
      } else {  // a detail type this binary does not know: name it at least
        (*details->add_values()->mutable_struct_value()->mutable_fields())["@type"].set_string_value(any.type_url());
      }
    }
  }
  google::protobuf::Struct root;
  *(*root.mutable_fields())["error"].mutable_struct_value() = error;
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(root, &out);
  return out;
}

grpc::Status ToGrpc(const absl::Status& status) {
  absl::Status clean(status.code(), ValidUtf8(std::string(status.message())));
  status.ForEachPayload([&](absl::string_view url, const absl::Cord& payload) { clean.SetPayload(url, payload); });
  return ToGrpcStatus(clean);
}

std::string ErrorJson(const absl::Status& status) { return ErrorJson(ToGrpcStatus(status)); }

}  // namespace etnik::gateway

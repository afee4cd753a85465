// The gateway's HTTP -> protobuf transcoding, over every route of the REST table. Properties:
//   - any body and query give a request message or INVALID_ARGUMENT with a message, never a
//     crash or another code;
//   - a body nested deeper than kMaxJsonDepth is refused;
//   - a request that was accepted prints as JSON that transcodes back to the same request.

#include <map>
#include <memory>
#include <string>

#include "fuzz/fuzz_input.h"
#include "google/protobuf/stubs/logging.h"
#include "google/protobuf/util/field_comparator.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/gateway/http/transcode.h"
#include "services/gateway/routes/route_table.h"

namespace {

using etnik::fuzz::FuzzInput;
namespace gw = etnik::gateway;

constexpr const char* kValues[] = {"", "true", "1", "-1", "1e400", "NaN", "2021-06-01T10:00:00Z", "3600s",
                                   "title,description", "hubs/media", "\xD0", "a,b,,c"};

bool Equal(const google::protobuf::Message& a, const google::protobuf::Message& b) {
  google::protobuf::util::DefaultFieldComparator comparator;
  comparator.set_treat_nan_as_equal(true);
  google::protobuf::util::MessageDifferencer differencer;
  differencer.set_field_comparator(&comparator);
  return differencer.Compare(a, b);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Protobuf logs every non-UTF-8 string it meets; the properties below are what count.
  static const google::protobuf::LogSilencer quiet;
  static const std::vector<gw::Route>& routes = gw::Routes();
  FuzzInput in(data, size);
  const gw::Route& route = routes[in.Int(0, static_cast<int64_t>(routes.size()) - 1)];
  const google::protobuf::Descriptor* input = route.method->input_type();

  std::multimap<std::string, std::string> query;
  const int params = in.Byte() % 4;
  for (int i = 0; i < params; ++i) {
    std::string key;
    if (in.Bool() && input->field_count() > 0) {
      const google::protobuf::FieldDescriptor* f = input->field(in.Byte() % input->field_count());
      key = in.Bool() ? f->name() : f->json_name();
      if (f->message_type() != nullptr && f->message_type()->field_count() > 0 && in.Bool()) {
        key += "." + f->message_type()->field(in.Byte() % f->message_type()->field_count())->name();
      }
    } else {
      key = in.Bytes(20);
    }
    query.emplace(key, in.Text(kValues, 40));
  }
  const std::string body = in.Rest();

  auto request = gw::BuildRequest(route, {}, query, body);
  if (!request.ok()) {
    FUZZ_CHECK(request.status().code() == absl::StatusCode::kInvalidArgument);
    FUZZ_CHECK(!request.status().message().empty());
    return 0;
  }
  FUZZ_CHECK(*request != nullptr && (*request)->GetDescriptor() == input);
  FUZZ_CHECK(gw::JsonDepth(body) <= gw::kMaxJsonDepth);

  // Print and read back (query parameters and the route's default included via the body).
  const std::string body_field = route.spec.body;
  if (body_field.empty()) return 0;
  std::string json;
  if (body_field == "*") {
    json = gw::ToJson(**request);
    if (query.empty()) {
      auto again = gw::BuildRequest(route, {}, {}, json);
      FUZZ_CHECK(again.ok());
      FUZZ_CHECK(Equal(**again, **request));
    }
  } else if (query.empty()) {
    const google::protobuf::FieldDescriptor* f = input->FindFieldByName(body_field);
    // An absent body field stays absent: no body at all; a present one, even empty, is "{}".
    const google::protobuf::Reflection* reflection = (*request)->GetReflection();
    json = reflection->HasField(**request, f) ? gw::ToJson(reflection->GetMessage(**request, f)) : "";
    auto again = gw::BuildRequest(route, {}, {}, json);
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(Equal(**again, **request));
  }
  return 0;
}

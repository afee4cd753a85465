#include "services/gateway/http/http_server.h"

#include <map>
#include <optional>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/auth/client_token.h"
#include "common/status/errors.h"
#include "httplib.h"
#include "prometheus/counter.h"
#include "prometheus/histogram.h"
#include "prometheus/text_serializer.h"
#include "services/gateway/http/errors.h"
#include "services/gateway/http/transcode.h"
#include "services/gateway/http/web_assets.h"
#include "services/gateway/routes/openapi.h"
#include "services/gateway/routes/route_table.h"

namespace etnik::gateway {

class HttpMetrics {
 public:
  explicit HttpMetrics(prometheus::Registry& registry)
      : requests(prometheus::BuildCounter()
                     .Name("etnik_gateway_http_requests_total")
                     .Help("HTTP requests by route template, method and status code")
                     .Register(registry)),
        latency(prometheus::BuildHistogram()
                    .Name("etnik_gateway_http_request_duration_seconds")
                    .Help("HTTP request latency by route template and method, including the backend call")
                    .Register(registry)) {}

  void Record(const std::string& route, const std::string& method, int code, absl::Duration took) {
    requests.Add({{"route", route}, {"method", method}, {"code", absl::StrCat(code)}}).Increment();
    static const prometheus::Histogram::BucketBoundaries kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                                     0.1,   0.25,   0.5,   1,    2.5,   5, 10};
    latency.Add({{"route", route}, {"method", method}}, kBuckets).Observe(absl::ToDoubleSeconds(took));
  }

  prometheus::Family<prometheus::Counter>& requests;
  prometheus::Family<prometheus::Histogram>& latency;
};

namespace {

constexpr char kJson[] = "application/json; charset=utf-8";

// `http_code` 0 means the usual mapping of the status.
void SendError(httplib::Response& res, const absl::Status& status, int http_code = 0) {
  grpc::Status g = ToGrpc(status);
  res.status = http_code != 0 ? http_code : HttpStatusFor(g.error_code());
  res.set_content(ErrorJson(g, res.status), kJson);
}

// A caller's request id is kept when it is a sane token; anything else gets a fresh one.
std::string RequestId(const httplib::Request& req) {
  std::string given = req.get_header_value("X-Request-Id");
  bool sane = !given.empty() && given.size() <= 128;
  for (char c : given) sane = sane && (absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.');
  if (sane) return given;
  static absl::Mutex mu;
  static absl::BitGen* gen = new absl::BitGen();
  absl::MutexLock lock(&mu);
  return absl::StrFormat("%016x%016x", absl::Uniform<uint64_t>(*gen), absl::Uniform<uint64_t>(*gen));
}

// The hub id in "hubs/{hub}" or "hubs/{hub}/...".
std::string HubIdOf(const std::string& name) {
  std::vector<std::string> parts = absl::StrSplit(name, '/');
  return parts.size() >= 2 && parts[0] == "hubs" ? parts[1] : "";
}

std::string WwwAuthenticate(absl::string_view error, absl::string_view description) {
  if (error.empty()) return "Bearer realm=\"etnik\"";
  std::string clean;
  for (char c : description) clean.push_back(c == '"' || c == '\\' ? '\'' : c);
  return absl::StrCat("Bearer realm=\"etnik\", error=\"", error, "\", error_description=\"", clean, "\"");
}

// Copies a response field (string or bytes) as the HTTP body with its companions:
// content_type, filename and etag when the message has them.
void SendRaw(const httplib::Request& req, const google::protobuf::Message& message, const std::string& field_name,
             httplib::Response& res) {
  const google::protobuf::Descriptor* d = message.GetDescriptor();
  const google::protobuf::Reflection* r = message.GetReflection();
  auto text = [&](const char* name) -> std::string {
    const google::protobuf::FieldDescriptor* f = d->FindFieldByName(name);
    return f == nullptr ? "" : r->GetString(message, f);
  };
  std::string etag = text("etag");
  if (!etag.empty()) {
    std::string quoted = absl::StrCat("\"", etag, "\"");
    res.set_header("ETag", quoted);
    if (req.get_header_value("If-None-Match") == quoted) {
      res.status = 304;
      return;
    }
  }
  std::string filename = text("filename");
  if (!filename.empty()) res.set_header("Content-Disposition", absl::StrCat("inline; filename=\"", filename, "\""));
  std::string type = text("content_type");
  res.status = 200;
  res.set_content(text(field_name.c_str()), type.empty() ? "application/octet-stream" : type.c_str());
}

}  // namespace

HttpServer::HttpServer(const Backends& backends, const auth::Authenticator& authenticator, RateLimiter& limiter,
                       prometheus::Registry& registry, HttpOptions options)
    : backends_(backends),
      authenticator_(authenticator),
      limiter_(limiter),
      registry_(registry),
      options_(std::move(options)),
      metrics_(std::make_unique<HttpMetrics>(registry)) {
  (void)Routes();  // validate the table at start-up, not on the first request
  httplib::Server& server = listener_.server();
  server.set_payload_max_length(options_.max_body_bytes);
  // httplib answers some failures itself (413 for an oversized body, 400 for a bad request
  // line); give them the same JSON error shape.
  server.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    absl::StatusCode code = res.status == 413   ? absl::StatusCode::kInvalidArgument
                            : res.status == 404 ? absl::StatusCode::kNotFound
                                                : absl::StatusCode::kInvalidArgument;
    std::string message = res.status == 413 ? "request body too large" : "bad request";
    SendError(res, absl::Status(code, message), res.status);
  });
  server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    SendError(res, absl::InternalError("internal error"));
  });
  // 200 when every backend is SERVING, 503 otherwise; the body says which one is not.
  server.Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
    bool all_serving = true;
    std::string backends_json;
    for (const auto& [name, state] : backends_.Health(absl::Seconds(1))) {
      absl::StrAppend(&backends_json, backends_json.empty() ? "" : ",", "\"", name, "\":\"", state, "\"");
      all_serving = all_serving && state == "SERVING";
    }
    res.status = all_serving ? 200 : 503;
    res.set_content(absl::StrCat("{\"status\":\"", all_serving ? "SERVING" : "NOT_SERVING", "\",\"backends\":{",
                                 backends_json, "}}"),
                    "application/json");
  });
  server.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(prometheus::TextSerializer().Serialize(registry_.Collect()), "text/plain; version=0.0.4");
  });
  AddWebPage(server);
  auto handle = [this](const httplib::Request& req, httplib::Response& res) { Handle(req, res); };
  server.Get("/v1/.*", handle);
  server.Post("/v1/.*", handle);
  server.Patch("/v1/.*", handle);
  server.Delete("/v1/.*", handle);
  server.Put("/v1/.*", handle);
  server.Options("/v1/.*", handle);
}

HttpServer::~HttpServer() { Stop(); }

bool HttpServer::OriginAllowed(const httplib::Request& req) const {
  if (options_.cors_origin.empty() || !req.has_header("Origin")) return false;
  return options_.cors_origin == "*" || req.get_header_value("Origin") == options_.cors_origin;
}

void HttpServer::Handle(const httplib::Request& req, httplib::Response& res) {
  const absl::Time start = absl::Now();
  const std::string request_id = RequestId(req);
  res.set_header("X-Request-Id", request_id);
  if (OriginAllowed(req)) {
    res.set_header("Access-Control-Allow-Origin", req.get_header_value("Origin"));
    res.set_header("Vary", "Origin");
    res.set_header("Access-Control-Expose-Headers", "X-Request-Id, Retry-After, ETag, WWW-Authenticate");
  }
  std::string route = Serve(req, res);
  metrics_->Record(route, req.method, res.status, absl::Now() - start);
}

std::string HttpServer::Serve(const httplib::Request& req, httplib::Response& res) {
  if (req.method == "OPTIONS") {  // CORS preflight
    if (!OriginAllowed(req)) {
      SendError(res, ErrorWithInfo(absl::StatusCode::kPermissionDenied, "origin not allowed", "CORS_ORIGIN_DENIED"));
      return "preflight";
    }
    res.status = 204;
    res.set_header("Access-Control-Allow-Methods", "GET, POST, PATCH, DELETE, OPTIONS");
    res.set_header("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Request-Id, If-None-Match");
    res.set_header("Access-Control-Max-Age", "600");
    return "preflight";
  }
  if (req.path == "/v1/openapi.json" && req.method == "GET") {
    res.set_content(OpenApiJson(), kJson);
    return "/v1/openapi.json";
  }
  if (req.body.size() > options_.max_body_bytes) {
    SendError(res,
              absl::InvalidArgumentError(
                  absl::StrCat("request body too large: at most ", options_.max_body_bytes, " bytes")),
              413);
    return "unmatched";
  }
  std::map<std::string, std::string> bound;
  const Route* route = FindRoute(req.method, req.path, &bound);
  if (route == nullptr) {
    if (PathKnown(req.path)) {
      SendError(res, absl::InvalidArgumentError(absl::StrCat("method ", req.method, " not allowed here")), 405);
    } else {
      SendError(res, absl::NotFoundError(absl::StrCat("no route for ", req.path)));
    }
    return "unmatched";
  }
  const std::string label = route->spec.path;

  // Authentication: a bad token is refused even on public routes (the client should know).
  std::optional<std::string> header;
  if (req.has_header("Authorization")) header = req.get_header_value("Authorization");
  absl::StatusOr<auth::Identity> who =
      authenticator_.AuthenticateHeader(header ? absl::optional<absl::string_view>(*header) : absl::nullopt);
  if (!who.ok()) {
    SendError(res, who.status(), 401);
    res.set_header("WWW-Authenticate", WwwAuthenticate("invalid_token", who.status().message()));
    return label;
  }
  if (who->anonymous && !(route->spec.access & kPublic)) {
    SendError(res, ErrorWithInfo(absl::StatusCode::kUnauthenticated, "a bearer token is required", "UNAUTHENTICATED"));
    res.set_header("WWW-Authenticate", WwwAuthenticate("", ""));
    return label;
  }

  // The limit comes before any backend work and before the role check, so probing is limited too.
  RateDecision rate = limiter_.Check(who->anonymous ? "ip:" + req.remote_addr : "sub:" + who->subject);
  if (!rate.allowed) {
    int64_t seconds = std::max<int64_t>(1, absl::ToInt64Seconds(absl::Ceil(rate.retry_after, absl::Seconds(1))));
    SendError(res, ErrorWithInfo(absl::StatusCode::kResourceExhausted, "too many requests", "RATE_LIMITED",
                                 {{"retry_after_seconds", absl::StrCat(seconds)}}));
    res.set_header("Retry-After", absl::StrCat(seconds));
    return label;
  }

  // Coarse authorisation; the service checks the fine rules again (defence in depth).
  if (!RolesAllow(route->spec.access, *who)) {
    SendError(res, ErrorWithInfo(absl::StatusCode::kPermissionDenied, "the caller's roles do not allow this call",
                                 "MISSING_ROLE"));
    return label;
  }
  if (route->spec.hub_field[0] != '\0' && !auth::HasRole(*who, auth::Role::kOrganiser) &&
      !auth::HasRole(*who, auth::Role::kService)) {
    std::string hub = HubIdOf(bound[route->spec.hub_field]);
    if (hub != "-") {
      if (absl::Status s = auth::RequireCanManageHub(*who, hub); !s.ok()) {
        SendError(res, s);
        return label;
      }
    }
  }

  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> request =
      BuildRequest(*route, bound, req.params, req.body);
  if (!request.ok()) {
    SendError(res, request.status());
    return label;
  }
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + options_.backend_deadline));
  context.AddMetadata("x-request-id", res.get_header_value("X-Request-Id"));
  // The services answer in the caller's language (Russian by default).
  const std::string language = req.get_header_value("Accept-Language");
  if (!language.empty() && language.size() <= 128 &&
      language.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-,;=.* ") ==
          std::string::npos) {
    context.AddMetadata("accept-language", language);
  }
  if (header) {
    absl::StatusOr<absl::string_view> token = auth::ParseBearerHeader(*header);
    if (token.ok()) auth::AttachBearerToken(context, *token);
  }
  std::unique_ptr<google::protobuf::Message> response(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(route->method->output_type())->New());
  grpc::Status status = backends_.Call(route->spec.backend, route->grpc_method, context, **request, response.get());
  if (!status.ok()) {
    // Transport failures name internal addresses; say which service instead.
    if ((status.error_code() == grpc::StatusCode::UNAVAILABLE ||
         status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) &&
        status.error_details().empty()) {
      status = grpc::Status(status.error_code(),
                            absl::StrCat("the ", route->spec.backend, " service ",
                                         status.error_code() == grpc::StatusCode::UNAVAILABLE
                                             ? "is unavailable"
                                             : "did not answer in time"));
    }
    res.status = HttpStatusFor(status.error_code());
    res.set_content(ErrorJson(status), kJson);
    if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED) {
      res.set_header("WWW-Authenticate", WwwAuthenticate("invalid_token", status.error_message()));
    }
    return label;
  }
  if (route->spec.raw_body[0] != '\0') {
    SendRaw(req, *response, route->spec.raw_body, res);
  } else {
    res.status = 200;
    res.set_content(ToJson(*response), kJson);
  }
  return label;
}

}  // namespace etnik::gateway

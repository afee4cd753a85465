#include "services/gateway/http/http_server.h"

#include "absl/strings/str_cat.h"
#include "httplib.h"

namespace etnik::gateway {

HttpServer::HttpServer(const Backends& backends) : backends_(backends) {
  // 200 when every backend is SERVING, 503 otherwise; the body says which one is not.
  listener_.server().Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
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
}

}  // namespace etnik::gateway

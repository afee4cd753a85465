#ifndef ETNIK_SERVICES_NOTIFICATIONS_CHANNELS_CURL_HTTP_H_
#define ETNIK_SERVICES_NOTIFICATIONS_CHANNELS_CURL_HTTP_H_

// Internal to the channels: one libcurl easy handle per call (so senders are thread-safe without
// locks), the global init done once, and transport errors mapped to retryable or permanent
// statuses. Status messages never contain URLs (they may hold tokens) or bodies.

#include <curl/curl.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace etnik::notifications::internal {

// curl_global_init, once per process.
void EnsureCurlInitialised();

// A transport failure of `what` ("webhook POST", "SMTP") as a status: timeouts ->
// DEADLINE_EXCEEDED; connection and I/O problems -> UNAVAILABLE; bad URL or configuration ->
// INVALID_ARGUMENT / FAILED_PRECONDITION.
absl::Status CurlError(CURLcode code, absl::string_view what);

struct HttpResponse {
  long status = 0;
  std::string body;  // capped at 64 KiB
};

// POSTs `body` over http(s) only, without following redirects.
absl::StatusOr<HttpResponse> HttpPost(const std::string& url, const std::vector<std::string>& headers,
                                      absl::string_view body, absl::Duration timeout);

// HTTP status -> Send status: 2xx OK; 429 RESOURCE_EXHAUSTED; 408 and 5xx UNAVAILABLE; other
// 4xx (and anything else) INVALID_ARGUMENT.
absl::Status HttpStatusToStatus(long status, absl::string_view what);

// A JSON string literal (with quotes) of UTF-8 text.
std::string JsonString(absl::string_view s);

}  // namespace etnik::notifications::internal

#endif  // ETNIK_SERVICES_NOTIFICATIONS_CHANNELS_CURL_HTTP_H_

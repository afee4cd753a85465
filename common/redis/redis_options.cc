#include "common/redis/redis_options.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace etnik::redis {
namespace {

// The URL as an error may show it: whatever precedes an '@' in the authority (a user name and
// password) is replaced, since errors end up in logs.
std::string Redacted(absl::string_view url) {
  const size_t scheme = url.find("://");
  const size_t start = scheme == absl::string_view::npos ? 0 : scheme + 3;
  const size_t end = std::min(url.find('/', start), url.size());
  const size_t at = url.substr(0, end).rfind('@');
  if (at == absl::string_view::npos || at < start) return std::string(url);
  return absl::StrCat(url.substr(0, start), "***", url.substr(at));
}

absl::Status Bad(absl::string_view url, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("bad Redis URL \"", Redacted(url), "\": ", why, " (want redis://host[:port][/db])"));
}

}  // namespace

absl::StatusOr<RedisOptions> ParseRedisUrl(absl::string_view url, RedisOptions base) {
  constexpr absl::string_view kScheme = "redis://";
  if (!absl::StartsWith(url, kScheme)) return Bad(url, "scheme must be redis://");
  absl::string_view rest = url.substr(kScheme.size());

  absl::string_view path;
  if (size_t slash = rest.find('/'); slash != absl::string_view::npos) {
    path = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
  }
  if (absl::StrContains(rest, '@')) return Bad(url, "credentials are not supported");

  absl::string_view host = rest;
  absl::string_view port;
  if (absl::StartsWith(rest, "[")) {  // IPv6 literal
    size_t close = rest.find(']');
    if (close == absl::string_view::npos) return Bad(url, "unclosed [");
    host = rest.substr(1, close - 1);
    absl::string_view after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return Bad(url, "junk after ]");
      port = after.substr(1);
    }
  } else if (size_t colon = rest.rfind(':'); colon != absl::string_view::npos) {
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
  }
  if (host.empty()) return Bad(url, "empty host");

  RedisOptions out = std::move(base);
  out.host = std::string(host);
  out.port = 6379;
  if (!port.empty()) {
    int p = 0;
    if (!absl::SimpleAtoi(port, &p) || p < 1 || p > 65535) return Bad(url, "bad port");
    out.port = p;
  }
  out.db = 0;
  if (!path.empty()) {
    int db = 0;
    if (!absl::SimpleAtoi(path, &db) || db < 0) return Bad(url, "bad database number");
    out.db = db;
  }
  return out;
}

}  // namespace etnik::redis

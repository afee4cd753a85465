#include "common/db/database_url.h"

#include <libpq-fe.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace etnik::db {
namespace {

constexpr int kDefaultConnectTimeoutSeconds = 5;

// libpq's key='value' quoting.
std::string QuoteValue(absl::string_view value) {
  if (!value.empty() && value.find_first_of(" '\\") == absl::string_view::npos) {
    return std::string(value);
  }
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

// SOCI's PostgreSQL backend splits its connect string into key=value words, so a URI is
// rewritten as the equivalent key/value connection string.
absl::StatusOr<std::string> UriToConninfo(const std::string& uri) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(uri.c_str(), &error);
  if (options == nullptr) {
    // libpq's message does not repeat the URI, so no password leaks into it.
    std::string message = error != nullptr ? error : "unparsable";
    PQfreemem(error);
    return absl::InvalidArgumentError(absl::StrCat("bad PostgreSQL URL: ", message));
  }
  std::string out;
  bool has_connect_timeout = false;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val == nullptr) continue;
    if (!out.empty()) out.push_back(' ');
    absl::StrAppend(&out, o->keyword, "=", QuoteValue(o->val));
    has_connect_timeout |= absl::string_view(o->keyword) == "connect_timeout";
  }
  PQconninfoFree(options);
  // libpq waits forever for an unreachable host by default; a start-up or a reconnect must not.
  if (!has_connect_timeout) absl::StrAppend(&out, " connect_timeout=", kDefaultConnectTimeoutSeconds);
  return out;
}

}  // namespace

absl::StatusOr<DatabaseUrl> ParseDatabaseUrl(absl::string_view url) {
  constexpr absl::string_view kSqlite = "sqlite://";
  if (absl::StartsWith(url, kSqlite)) {
    absl::string_view path = url.substr(kSqlite.size());
    if (path.empty()) return absl::InvalidArgumentError("sqlite URL has no file path");
    if (path == ":memory:") {
      return absl::InvalidArgumentError(
          "sqlite in-memory databases are not supported: each pooled connection would see its own");
    }
    if (path.find_first_of(" \t\"'=") != absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("sqlite path may not contain spaces, quotes or '=': ", path));
    }
    return DatabaseUrl{Engine::kSqlite, std::string(path)};
  }
  if (absl::StartsWith(url, "postgresql://") || absl::StartsWith(url, "postgres://")) {
    absl::StatusOr<std::string> conninfo = UriToConninfo(std::string(url));
    if (!conninfo.ok()) return conninfo.status();
    return DatabaseUrl{Engine::kPostgres, *conninfo};
  }
  // Name only the scheme: the rest may carry a password.
  absl::string_view scheme = url.substr(0, url.find(':'));
  return absl::InvalidArgumentError(absl::StrCat(
      "unsupported database URL scheme '", scheme,
      "': expected sqlite:///path/to/file.db or postgresql://user@host:port/dbname"));
}

}  // namespace etnik::db

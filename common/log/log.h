#ifndef ETNIK_COMMON_LOG_LOG_H_
#define ETNIK_COMMON_LOG_LOG_H_

// Structured logs: one JSON object per line on stderr, e.g.
// {"ts":"2021-04-12T20:59:59.000000Z","level":"info","service":"scheduling",
//  "request_id":"r-42","msg":"session booked","session":"sessions/7"}

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace etnik::log {

enum class Level { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

using Fields = std::vector<std::pair<std::string, std::string>>;

// Process-wide settings, set once in main().
void SetServiceName(absl::string_view name);
void SetMinLevel(Level level);
// Replaces the stderr writer (tests capture lines with it); nullptr restores stderr.
void SetSink(std::function<void(absl::string_view line)> sink);

void Log(Level level, absl::string_view message, const Fields& fields = {});
inline void Debug(absl::string_view m, const Fields& f = {}) { Log(Level::kDebug, m, f); }
inline void Info(absl::string_view m, const Fields& f = {}) { Log(Level::kInfo, m, f); }
inline void Warning(absl::string_view m, const Fields& f = {}) { Log(Level::kWarning, m, f); }
inline void Error(absl::string_view m, const Fields& f = {}) { Log(Level::kError, m, f); }

// Sets the request id that log lines of this thread carry until destruction.
class ScopedRequestId {
 public:
  explicit ScopedRequestId(std::string request_id);
  ~ScopedRequestId();
  ScopedRequestId(const ScopedRequestId&) = delete;
  ScopedRequestId& operator=(const ScopedRequestId&) = delete;

 private:
  std::string previous_;
};
const std::string& CurrentRequestId();

// JSON string escaping (quotes, backslash, control characters); UTF-8 passes through.
std::string JsonEscape(absl::string_view text);

// Formats one line without writing it (exposed for tests).
std::string FormatLine(Level level, absl::string_view message, const Fields& fields);

}  // namespace etnik::log

#endif  // ETNIK_COMMON_LOG_LOG_H_

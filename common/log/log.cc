#include "common/log/log.h"

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace etnik::log {
namespace {

struct State {
  absl::Mutex mu;
  std::string service ABSL_GUARDED_BY(mu);
  Level min_level ABSL_GUARDED_BY(mu) = Level::kInfo;
  std::function<void(absl::string_view)> sink ABSL_GUARDED_BY(mu);
};

State& GetState() {
  static State* state = new State();
  return *state;
}

thread_local std::string current_request_id;

const char* LevelName(Level level) {
  switch (level) {
    case Level::kDebug: return "debug";
    case Level::kInfo: return "info";
    case Level::kWarning: return "warning";
    case Level::kError: return "error";
  }
  return "info";
}

}  // namespace

void SetServiceName(absl::string_view name) {
  absl::MutexLock lock(&GetState().mu);
  GetState().service = std::string(name);
}

void SetMinLevel(Level level) {
  absl::MutexLock lock(&GetState().mu);
  GetState().min_level = level;
}

void SetSink(std::function<void(absl::string_view)> sink) {
  absl::MutexLock lock(&GetState().mu);
  GetState().sink = std::move(sink);
}

ScopedRequestId::ScopedRequestId(std::string request_id) : previous_(std::move(current_request_id)) {
  current_request_id = std::move(request_id);
}
ScopedRequestId::~ScopedRequestId() { current_request_id = std::move(previous_); }
const std::string& CurrentRequestId() { return current_request_id; }

std::string JsonEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  for (unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

std::string FormatLine(Level level, absl::string_view message, const Fields& fields) {
  std::string service;
  {
    absl::MutexLock lock(&GetState().mu);
    service = GetState().service;
  }
  std::string line = absl::StrCat(
      "{\"ts\":\"", absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", absl::Now(), absl::UTCTimeZone()),
      "\",\"level\":\"", LevelName(level), "\"");
  if (!service.empty()) absl::StrAppend(&line, ",\"service\":\"", JsonEscape(service), "\"");
  if (!current_request_id.empty()) {
    absl::StrAppend(&line, ",\"request_id\":\"", JsonEscape(current_request_id), "\"");
  }
  absl::StrAppend(&line, ",\"msg\":\"", JsonEscape(message), "\"");
  for (const auto& [key, value] : fields) {
    absl::StrAppend(&line, ",\"", JsonEscape(key), "\":\"", JsonEscape(value), "\"");
  }
  line += "}";
  return line;
}

void Log(Level level, absl::string_view message, const Fields& fields) {
  State& state = GetState();
  std::function<void(absl::string_view)> sink;
  {
    absl::MutexLock lock(&state.mu);
    if (level < state.min_level) return;
    sink = state.sink;
  }
  std::string line = FormatLine(level, message, fields);
  if (sink) {
    sink(line);
    return;
  }
  line += "\n";
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace etnik::log

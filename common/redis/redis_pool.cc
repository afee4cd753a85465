#include "common/redis/redis_pool.h"

#include <hiredis/hiredis.h>
#include <signal.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <mutex>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/histogram.h"

namespace etnik::redis {
namespace {

constexpr char kCircuitOpenReason[] = "REDIS_CIRCUIT_OPEN";

// Error kinds of etnik_redis_errors_total, created up front so dashboards see zeros.
constexpr const char* kErrorKinds[] = {"connect", "timeout",        "io",   "protocol",
                                       "reply",   "pool_exhausted", "other"};

timeval NonNegativeTimeval(absl::Duration d) {
  if (d < absl::ZeroDuration()) d = absl::ZeroDuration();
  return absl::ToTimeval(d);
}

void IgnoreSigpipeOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction current {};
    if (sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
      signal(SIGPIPE, SIG_IGN);
    }
  });
}

Reply Convert(const redisReply* r) {
  switch (r->type) {
    case REDIS_REPLY_STRING:
      return Reply::String(std::string(r->str, r->len));
    case REDIS_REPLY_STATUS:
      return Reply::Status(std::string(r->str, r->len));
    case REDIS_REPLY_ERROR:
      return Reply::Error(std::string(r->str, r->len));
    case REDIS_REPLY_INTEGER:
      return Reply::Integer(r->integer);
    case REDIS_REPLY_ARRAY: {
      std::vector<Reply> elements;
      elements.reserve(r->elements);
      for (size_t i = 0; i < r->elements; ++i) elements.push_back(Convert(r->element[i]));
      return Reply::Array(std::move(elements));
    }
    case REDIS_REPLY_NIL:
    default:
      return Reply::Nil();
  }
}

bool IsTimeout(const redisContext* ctx, int saved_errno) {
  if (ctx->err != REDIS_ERR_IO) return false;
  if (saved_errno == EAGAIN || saved_errno == EWOULDBLOCK || saved_errno == ETIMEDOUT) return true;
  // hiredis keeps only the text of errno; match it in case errno moved on.
  return std::strcmp(ctx->errstr, std::strerror(EAGAIN)) == 0 ||
         std::strcmp(ctx->errstr, std::strerror(ETIMEDOUT)) == 0;
}

}  // namespace

struct RedisPool::Metrics {
  absl::flat_hash_map<std::string, prometheus::Counter*> errors;
  prometheus::Histogram* duration = nullptr;
};

bool IsCircuitOpen(const absl::Status& status) {
  if (status.code() != absl::StatusCode::kUnavailable) return false;
  std::optional<ErrorInfo> info = GetErrorInfo(status);
  return info.has_value() && info->reason == kCircuitOpenReason;
}

RedisPool::RedisPool(RedisOptions options, const Clock& clock, prometheus::Registry& registry)
    : options_(std::move(options)),
      breaker_(options_.name, options_.breaker, clock, &registry),
      metrics_(std::make_unique<Metrics>()) {
  IgnoreSigpipeOnce();
  auto& errors = prometheus::BuildCounter()
                     .Name("etnik_redis_errors_total")
                     .Help("Redis commands that failed, by kind of failure.")
                     .Register(registry);
  for (const char* kind : kErrorKinds) metrics_->errors[kind] = &errors.Add({{"kind", kind}});
  metrics_->duration =
      &prometheus::BuildHistogram()
           .Name("etnik_redis_command_duration_seconds")
           .Help("Time of one Redis command, from borrowing a connection to the reply.")
           .Register(registry)
           .Add({}, prometheus::Histogram::BucketBoundaries{0.0001, 0.00025, 0.0005, 0.001, 0.0025,
                                                            0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                            0.5, 1, 2.5});
}

RedisPool::~RedisPool() {
  absl::MutexLock lock(&mu_);
  for (Conn& c : idle_) redisFree(c.ctx);
  idle_.clear();
}

void RedisPool::CountError(const char* kind) {
  auto it = metrics_->errors.find(kind);
  if (it != metrics_->errors.end()) it->second->Increment();
}

absl::StatusOr<redisContext*> RedisPool::Connect() {
  redisContext* ctx = redisConnectWithTimeout(options_.host.c_str(), options_.port,
                                              NonNegativeTimeval(options_.connect_timeout));
  if (ctx == nullptr) return absl::UnavailableError("Redis: cannot allocate a connection");
  if (ctx->err != 0) {
    absl::Status s = absl::UnavailableError(absl::StrCat("Redis: cannot connect to ", options_.host,
                                                         ":", options_.port, ": ", ctx->errstr));
    redisFree(ctx);
    return s;
  }
  if (redisSetTimeout(ctx, NonNegativeTimeval(options_.command_timeout)) != REDIS_OK) {
    absl::Status s =
        absl::UnavailableError(absl::StrCat("Redis: cannot set timeout: ", ctx->errstr));
    redisFree(ctx);
    return s;
  }
  if (options_.db != 0) {
    std::string db = std::to_string(options_.db);
    const char* argv[] = {"SELECT", db.c_str()};
    const size_t lens[] = {6, db.size()};
    auto* r = static_cast<redisReply*>(redisCommandArgv(ctx, 2, argv, lens));
    bool ok = r != nullptr && r->type == REDIS_REPLY_STATUS;
    std::string why = r == nullptr ? ctx->errstr : (r->str != nullptr ? r->str : "");
    if (r != nullptr) freeReplyObject(r);
    if (!ok) {
      redisFree(ctx);
      return absl::UnavailableError(absl::StrCat("Redis: SELECT ", db, " failed: ", why));
    }
  }
  return ctx;
}

absl::StatusOr<RedisPool::Conn> RedisPool::Borrow() {
  uint64_t generation = 0;
  {
    absl::MutexLock lock(&mu_);
    auto can_proceed = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return !idle_.empty() || open_ < options_.pool_size;
    };
    if (!mu_.AwaitWithTimeout(absl::Condition(&can_proceed), options_.command_timeout)) {
      CountError("pool_exhausted");
      return absl::DeadlineExceededError(
          absl::StrCat("Redis: all ", options_.pool_size, " connections busy for ",
                       absl::FormatDuration(options_.command_timeout)));
    }
    if (!idle_.empty()) {
      Conn c = idle_.back();
      idle_.pop_back();
      return c;
    }
    ++open_;
    generation = generation_;
  }
  absl::StatusOr<redisContext*> ctx = Connect();
  if (!ctx.ok()) {
    CountError("connect");
    absl::MutexLock lock(&mu_);
    --open_;
    return ctx.status();
  }
  return Conn{*ctx, generation};
}

void RedisPool::Return(Conn conn, bool healthy) {
  std::vector<Conn> doomed;
  {
    absl::MutexLock lock(&mu_);
    if (healthy && conn.generation == generation_) {
      idle_.push_back(conn);
      return;
    }
    doomed.push_back(conn);
    --open_;
    if (!healthy) {
      // The server probably restarted or went away: the idle connections are stale too.
      ++generation_;
      open_ -= static_cast<int>(idle_.size());
      doomed.insert(doomed.end(), idle_.begin(), idle_.end());
      idle_.clear();
    }
  }
  for (Conn& c : doomed) redisFree(c.ctx);
}

absl::StatusOr<Reply> RedisPool::CommandArgv(absl::Span<const Arg> args) {
  absl::InlinedVector<const char*, 8> argv(args.size());
  absl::InlinedVector<size_t, 8> lens(args.size());
  for (size_t i = 0; i < args.size(); ++i) {
    argv[i] = args[i].data();
    lens[i] = args[i].size();
  }
  return Run(static_cast<int>(args.size()), argv.data(), lens.data());
}

absl::StatusOr<Reply> RedisPool::CommandArgv(absl::Span<const std::string> args) {
  absl::InlinedVector<const char*, 8> argv(args.size());
  absl::InlinedVector<size_t, 8> lens(args.size());
  for (size_t i = 0; i < args.size(); ++i) {
    argv[i] = args[i].data();
    lens[i] = args[i].size();
  }
  return Run(static_cast<int>(args.size()), argv.data(), lens.data());
}

absl::StatusOr<Reply> RedisPool::Run(int argc, const char** argv, const size_t* lens) {
  if (argc == 0) return absl::InvalidArgumentError("Redis: empty command");
  if (!breaker_.Allow()) {
    return ErrorWithInfo(absl::StatusCode::kUnavailable,
                         absl::StrCat("Redis circuit breaker \"", options_.name, "\" is open"),
                         kCircuitOpenReason, {{"name", options_.name}});
  }
  const auto start = std::chrono::steady_clock::now();
  auto observe = [&] {
    metrics_->duration->Observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  };

  absl::StatusOr<Conn> conn = Borrow();
  if (!conn.ok()) {
    breaker_.RecordFailure();
    observe();
    return conn.status();
  }

  errno = 0;
  auto* r = static_cast<redisReply*>(redisCommandArgv(conn->ctx, argc, argv, lens));
  const int saved_errno = errno;
  if (r == nullptr) {
    absl::Status status;
    if (IsTimeout(conn->ctx, saved_errno)) {
      CountError("timeout");
      status = absl::DeadlineExceededError(
          absl::StrCat("Redis: no reply within ", absl::FormatDuration(options_.command_timeout)));
    } else {
      const bool protocol = conn->ctx->err == REDIS_ERR_PROTOCOL;
      const bool io = conn->ctx->err == REDIS_ERR_IO || conn->ctx->err == REDIS_ERR_EOF;
      CountError(protocol ? "protocol" : io ? "io" : "other");
      status = absl::UnavailableError(absl::StrCat("Redis: ", conn->ctx->errstr));
    }
    Return(*conn, /*healthy=*/false);
    breaker_.RecordFailure();
    observe();
    return status;
  }

  Reply reply = Convert(r);
  freeReplyObject(r);
  Return(*conn, /*healthy=*/true);
  breaker_.RecordSuccess();  // an error reply is still an answer: the server is fine
  observe();
  if (reply.type == Reply::Type::kError) {
    CountError("reply");
    return absl::InternalError(absl::StrCat("Redis: ", reply.str));
  }
  return reply;
}

}  // namespace etnik::redis

#include "common/outbox/outbox_relay.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "common/outbox/stream_event.h"
#include "prometheus/counter.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"

namespace etnik::outbox {
namespace {

// Rows deleted per clean-up transaction, so the clean-up never holds the writer for long.
constexpr int kDeleteChunk = 1000;

}  // namespace

struct OutboxRelay::Metrics {
  prometheus::Gauge* backlog;
  prometheus::Counter* published;
  prometheus::Histogram* lag;
};

OutboxRelay::OutboxRelay(db::Database& db, redis::RedisPool& redis, const Clock& clock,
                         prometheus::Registry& registry, OutboxRelayOptions options)
    : db_(db), redis_(redis), clock_(clock), options_(std::move(options)),
      metrics_(std::make_unique<Metrics>()) {
  metrics_->backlog = &prometheus::BuildGauge()
                           .Name("etnik_outbox_backlog")
                           .Help("Outbox rows committed but not yet published to Redis.")
                           .Register(registry)
                           .Add({});
  metrics_->published = &prometheus::BuildCounter()
                             .Name("etnik_outbox_published_total")
                             .Help("Outbox rows published to Redis streams (republished ones too).")
                             .Register(registry)
                             .Add({});
  metrics_->lag = &prometheus::BuildHistogram()
                       .Name("etnik_outbox_relay_lag_seconds")
                       .Help("Time from an event's creation to its publication by the relay.")
                       .Register(registry)
                       .Add({}, prometheus::Histogram::BucketBoundaries{
                                    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
                                    10, 30, 60, 300, 1800});
}

OutboxRelay::~OutboxRelay() { Stop(); }

absl::Status OutboxRelay::Start() {
  if (options_.batch_size < 1) return absl::InvalidArgumentError("batch_size must be positive");
  if (options_.max_stream_length < 0) {
    return absl::InvalidArgumentError("max_stream_length must not be negative");
  }
  if (options_.poll_interval <= absl::ZeroDuration() ||
      options_.initial_backoff <= absl::ZeroDuration() ||
      options_.max_backoff < options_.initial_backoff ||
      options_.cleanup_interval <= absl::ZeroDuration() || options_.retention < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "poll_interval, initial_backoff, cleanup_interval must be positive, retention not "
        "negative, max_backoff at least initial_backoff");
  }
  absl::MutexLock lock(&mu_);
  if (thread_.joinable() || stopping_) return absl::FailedPreconditionError("relay already started");
  thread_ = std::thread([this] { Run(); });
  return absl::OkStatus();
}

void OutboxRelay::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void OutboxRelay::Notify() {
  absl::MutexLock lock(&mu_);
  notified_ = true;
}

bool OutboxRelay::WakeUp() const { return stopping_ || (wake_on_notify_ && notified_); }

bool OutboxRelay::StopRequested() {
  absl::MutexLock lock(&mu_);
  return stopping_;
}

void OutboxRelay::Wait(absl::Duration d, bool wake_on_notify) {
  absl::MutexLock lock(&mu_);
  wake_on_notify_ = wake_on_notify;
  mu_.AwaitWithTimeout(absl::Condition(this, &OutboxRelay::WakeUp), d);
  wake_on_notify_ = false;
}

void OutboxRelay::Run() {
  absl::Duration backoff = absl::ZeroDuration();
  // Scheduling uses the real time the thread sleeps in, not the injected clock.
  absl::Time next_cleanup = absl::Now();
  while (!StopRequested()) {
    {
      // A Notify() from here on means rows this round may miss: go round again at once.
      absl::MutexLock lock(&mu_);
      notified_ = false;
    }
    absl::StatusOr<int> drained = Drain();
    absl::StatusOr<int64_t> backlog = RefreshBacklog();
    if (!drained.ok()) {
      if (backoff == absl::ZeroDuration()) {
        log::Warning("outbox relay cannot publish; rows stay pending",
                     {{"error", drained.status().ToString()},
                      {"backlog", backlog.ok() ? absl::StrCat(*backlog) : "unknown"}});
      }
      backoff = std::min(backoff == absl::ZeroDuration() ? options_.initial_backoff : backoff * 2,
                         options_.max_backoff);
      Wait(backoff, /*wake_on_notify=*/false);
      continue;
    }
    if (backoff != absl::ZeroDuration()) log::Info("outbox relay publishing again");
    backoff = absl::ZeroDuration();
    if (absl::Now() >= next_cleanup) {
      absl::StatusOr<int> deleted = DeleteExpired();
      if (!deleted.ok()) {
        log::Warning("outbox clean-up failed", {{"error", deleted.status().ToString()}});
      }
      next_cleanup = absl::Now() + options_.cleanup_interval;
    }
    Wait(options_.poll_interval, /*wake_on_notify=*/true);
  }
}

absl::StatusOr<int> OutboxRelay::Drain() {
  int total = 0;
  while (!StopRequested()) {
    absl::StatusOr<int> n = PublishOnce();
    if (!n.ok()) return n.status();
    total += *n;
    if (*n < options_.batch_size) break;
  }
  return total;
}

absl::StatusOr<int> OutboxRelay::PublishOnce() {
  absl::MutexLock lock(&round_mu_);
  return db_.engine() == db::Engine::kPostgres ? RoundPostgres() : RoundSqlite();
}

std::vector<int64_t> OutboxRelay::PublishRows(absl::Span<const OutboxRow> rows, Round& round) {
  std::vector<int64_t> seqs;
  std::vector<std::string> event_ids;
  const std::string max_len = absl::StrCat(options_.max_stream_length);
  for (const OutboxRow& row : rows) {
    if (StopRequested()) break;
    const OutboxMessage& m = row.message;
    std::vector<redis::Arg> args = {"XADD", m.stream};
    if (options_.max_stream_length > 0) {
      args.insert(args.end(), {redis::Arg("MAXLEN"), redis::Arg("~"), redis::Arg(max_len)});
    }
    args.insert(args.end(), {redis::Arg("*"), redis::Arg(kFieldEventId), redis::Arg(m.event_id),
                             redis::Arg(kFieldType), redis::Arg(m.type),
                             redis::Arg(kFieldPayload), redis::Arg(m.payload)});
    absl::StatusOr<redis::Reply> reply = redis_.CommandArgv(absl::MakeConstSpan(args));
    if (!reply.ok()) {
      round.redis_status = reply.status();
      break;
    }
    seqs.push_back(row.seq);
    event_ids.push_back(m.event_id);
  }
  if (!seqs.empty() && options_.after_publish_hook) {
    absl::Status hook = options_.after_publish_hook(event_ids);
    if (!hook.ok()) {
      round.redis_status = hook;
      seqs.clear();
    }
  }
  round.published = static_cast<int>(seqs.size());
  return seqs;
}

absl::StatusOr<int> OutboxRelay::RoundPostgres() {
  // One READ COMMITTED transaction: the advisory lock makes replicas take turns, and rows are
  // marked before it is released. Service transactions only insert, so they never wait on it.
  Round round;
  std::vector<OutboxRow> rows;
  absl::Status status = db_.InTransaction(db::TxMode::kWriteReadCommitted, [&](soci::session& s) {
    round = Round{};
    rows.clear();
    absl::StatusOr<bool> locked = TryLockRelay(s);
    if (!locked.ok()) return locked.status();
    if (!*locked) return absl::OkStatus();  // another replica is publishing
    absl::StatusOr<std::vector<OutboxRow>> pending = FetchPending(s, options_.batch_size);
    if (!pending.ok()) return pending.status();
    rows = *std::move(pending);
    std::vector<int64_t> seqs = PublishRows(rows, round);
    if (seqs.empty()) return absl::OkStatus();
    return MarkPublished(s, seqs, clock_.Now()).status();
  });
  if (!status.ok()) return status;
  RecordPublished(rows, round.published);
  if (!round.redis_status.ok()) return round.redis_status;
  return round.published;
}

absl::StatusOr<int> OutboxRelay::RoundSqlite() {
  // Redis is called outside any transaction so the single writer lock is never held meanwhile.
  std::vector<OutboxRow> rows;
  absl::Status status = db_.InTransaction(db::TxMode::kRead, [&](soci::session& s) {
    absl::StatusOr<std::vector<OutboxRow>> pending = FetchPending(s, options_.batch_size);
    if (!pending.ok()) return pending.status();
    rows = *std::move(pending);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  Round round;
  std::vector<int64_t> seqs = PublishRows(rows, round);
  if (!seqs.empty()) {
    const absl::Time now = clock_.Now();
    status = db_.InTransaction(db::TxMode::kWrite, [&](soci::session& s) {
      return MarkPublished(s, seqs, now).status();
    });
    if (!status.ok()) return status;  // published but unmarked: republished later, deduplicated
  }
  RecordPublished(rows, round.published);
  if (!round.redis_status.ok()) return round.redis_status;
  return round.published;
}

void OutboxRelay::RecordPublished(absl::Span<const OutboxRow> rows, int count) {
  if (count <= 0) return;
  const absl::Time now = clock_.Now();
  for (int i = 0; i < count && i < static_cast<int>(rows.size()); ++i) {
    metrics_->lag->Observe(
        std::max(0.0, absl::ToDoubleSeconds(now - rows[static_cast<size_t>(i)].message.created)));
  }
  metrics_->published->Increment(count);
}

absl::StatusOr<int64_t> OutboxRelay::RefreshBacklog() {
  int64_t pending = 0;
  absl::Status status = db_.InTransaction(db::TxMode::kRead, [&](soci::session& s) {
    absl::StatusOr<int64_t> n = CountPending(s);
    if (!n.ok()) return n.status();
    pending = *n;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  metrics_->backlog->Set(static_cast<double>(pending));
  return pending;
}

absl::StatusOr<int> OutboxRelay::DeleteExpired() {
  const absl::Time cutoff = clock_.Now() - options_.retention;
  int total = 0;
  for (;;) {
    int deleted = 0;
    absl::Status status =
        db_.InTransaction(db::TxMode::kWriteReadCommitted, [&](soci::session& s) {
          absl::StatusOr<int> n = DeletePublishedBefore(s, cutoff, kDeleteChunk);
          if (!n.ok()) return n.status();
          deleted = *n;
          return absl::OkStatus();
        });
    if (!status.ok()) return status;
    total += deleted;
    if (deleted < kDeleteChunk) return total;
  }
}

}  // namespace etnik::outbox

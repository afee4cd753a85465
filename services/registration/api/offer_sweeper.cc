#include "services/registration/api/offer_sweeper.h"

#include "common/log/log.h"
#include "services/registration/selection/offer_flow.h"

namespace etnik::registration {

absl::Status OfferSweeper::Start() {
  if (interval_ <= absl::ZeroDuration()) return absl::InvalidArgumentError("the sweep interval must be positive");
  if (thread_.joinable()) return absl::FailedPreconditionError("the offer sweeper is already running");
  {
    absl::MutexLock lock(&mu_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { Loop(); });
  return absl::OkStatus();
}

void OfferSweeper::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

absl::StatusOr<int> OfferSweeper::SweepOnce() {
  absl::StatusOr<int> expired = ExpireDueOffers(ctx_.db, ctx_.clock.Now());
  if (expired.ok() && *expired > 0) ctx_.NotifyOutbox();
  return expired;
}

void OfferSweeper::Loop() {
  while (true) {
    absl::StatusOr<int> expired = SweepOnce();
    if (!expired.ok()) {
      log::Warning("offer sweep failed", {{"error", expired.status().ToString()}});
    }
    absl::MutexLock lock(&mu_);
    // Wakes early only to stop; otherwise sleeps one interval.
    if (mu_.AwaitWithTimeout(absl::Condition(&stopping_), interval_)) return;
  }
}

}  // namespace etnik::registration

#include "common/redis/single_flight.h"

namespace etnik::redis {

absl::StatusOr<std::string> SingleFlight::Do(absl::string_view key, const Fn& fn) {
  std::shared_ptr<Call> call;
  bool leader = false;
  {
    absl::MutexLock lock(&mu_);
    auto [it, inserted] = calls_.try_emplace(key);
    if (inserted) it->second = std::make_shared<Call>();
    call = it->second;
    leader = inserted;
  }
  if (!leader) {
    call->done.WaitForNotification();
    return call->result;
  }
  call->result = fn();
  {
    absl::MutexLock lock(&mu_);
    auto it = calls_.find(key);
    if (it != calls_.end() && it->second == call) calls_.erase(it);
  }
  call->done.Notify();
  return call->result;
}

void SingleFlight::Forget(absl::string_view key) {
  absl::MutexLock lock(&mu_);
  calls_.erase(key);
}

}  // namespace etnik::redis

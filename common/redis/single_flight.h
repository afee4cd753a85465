#ifndef ETNIK_COMMON_REDIS_SINGLE_FLIGHT_H_
#define ETNIK_COMMON_REDIS_SINGLE_FLIGHT_H_

// Collapses concurrent loads of one key in this process into one call: the first caller
// runs the function, the others wait for and share its result.

#include <functional>
#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"

namespace etnik::redis {

class SingleFlight {
 public:
  using Fn = std::function<absl::StatusOr<std::string>()>;

  absl::StatusOr<std::string> Do(absl::string_view key, const Fn& fn);

  // Callers arriving after Forget(key) start a new load instead of joining one that may
  // have read the store before a write (used by cache invalidation).
  void Forget(absl::string_view key);

 private:
  struct Call {
    absl::Notification done;
    absl::StatusOr<std::string> result;
  };

  absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::shared_ptr<Call>> calls_ ABSL_GUARDED_BY(mu_);
};

}  // namespace etnik::redis

#endif  // ETNIK_COMMON_REDIS_SINGLE_FLIGHT_H_

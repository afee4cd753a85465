#ifndef ETNIK_BENCH_MIXED_LATENCY_H_
#define ETNIK_BENCH_MIXED_LATENCY_H_

// Outcomes and latencies of one RPC during one phase, shared by the completion callbacks.

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace etnik::bench {

enum class Outcome { kOk, kRefused, kError };

class RpcStats {
 public:
  void Add(int64_t micros, Outcome outcome, const std::string& error = "") {
    std::lock_guard<std::mutex> lock(mu_);
    micros_.push_back(micros);
    if (outcome == Outcome::kRefused) ++refused_;
    if (outcome == Outcome::kError) {
      ++errors_;
      if (first_errors_.size() < 3) first_errors_.push_back(error);
    }
  }

  struct Summary {
    int64_t calls = 0;
    int64_t errors = 0;
    int64_t refused = 0;
    int64_t p50 = 0;
    int64_t p99 = 0;
    std::vector<std::string> first_errors;
  };

  Summary Summarize() const {
    std::lock_guard<std::mutex> lock(mu_);
    Summary s;
    s.calls = static_cast<int64_t>(micros_.size());
    s.errors = errors_;
    s.refused = refused_;
    s.first_errors = first_errors_;
    if (micros_.empty()) return s;
    std::vector<int64_t> sorted = micros_;
    std::sort(sorted.begin(), sorted.end());
    auto at = [&](double q) { return sorted[static_cast<size_t>(q * static_cast<double>(sorted.size() - 1))]; };
    s.p50 = at(0.50);
    s.p99 = at(0.99);
    return s;
  }

 private:
  mutable std::mutex mu_;
  std::vector<int64_t> micros_;
  int64_t errors_ = 0;
  int64_t refused_ = 0;
  std::vector<std::string> first_errors_;
};

}  // namespace etnik::bench

#endif  // ETNIK_BENCH_MIXED_LATENCY_H_

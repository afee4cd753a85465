#include "common/redis/circuit_breaker.h"

#include "gtest/gtest.h"
#include "prometheus/registry.h"

namespace etnik::redis {
namespace {

using State = CircuitBreaker::State;

double GaugeValue(prometheus::Registry& registry, const std::string& name) {
  for (const auto& family : registry.Collect()) {
    if (family.name != "etnik_redis_breaker_state") continue;
    for (const auto& m : family.metric) {
      for (const auto& l : m.label) {
        if (l.name == "name" && l.value == name) return m.gauge.value;
      }
    }
  }
  return -1;
}

class CircuitBreakerTest : public ::testing::Test {
 protected:
  FakeClock clock_;
  prometheus::Registry registry_;
  CircuitBreaker breaker_{
      "test", {.failure_threshold = 3, .open_for = absl::Seconds(10)}, clock_, &registry_};

  void Fail(int n) {
    for (int i = 0; i < n; ++i) {
      ASSERT_TRUE(breaker_.Allow());
      breaker_.RecordFailure();
    }
  }
};

TEST_F(CircuitBreakerTest, OpensAfterConsecutiveFailures) {
  Fail(2);
  EXPECT_EQ(breaker_.state(), State::kClosed);
  Fail(1);
  EXPECT_EQ(breaker_.state(), State::kOpen);
  EXPECT_FALSE(breaker_.Allow());
  EXPECT_EQ(GaugeValue(registry_, "test"), 2);
}

TEST_F(CircuitBreakerTest, SuccessResetsTheFailureCount) {
  Fail(2);
  ASSERT_TRUE(breaker_.Allow());
  breaker_.RecordSuccess();
  Fail(2);
  EXPECT_EQ(breaker_.state(), State::kClosed);
  Fail(1);
  EXPECT_EQ(breaker_.state(), State::kOpen);
}

TEST_F(CircuitBreakerTest, StaysOpenUntilCoolDownThenLetsOneProbe) {
  Fail(3);
  clock_.Advance(absl::Seconds(9));
  EXPECT_FALSE(breaker_.Allow());
  clock_.Advance(absl::Seconds(1));
  EXPECT_TRUE(breaker_.Allow());  // the probe
  EXPECT_EQ(breaker_.state(), State::kHalfOpen);
  EXPECT_EQ(GaugeValue(registry_, "test"), 1);
  EXPECT_FALSE(breaker_.Allow());  // only one probe at a time
  EXPECT_FALSE(breaker_.Allow());
}

TEST_F(CircuitBreakerTest, SuccessfulProbeCloses) {
  Fail(3);
  clock_.Advance(absl::Seconds(10));
  ASSERT_TRUE(breaker_.Allow());
  breaker_.RecordSuccess();
  EXPECT_EQ(breaker_.state(), State::kClosed);
  EXPECT_EQ(GaugeValue(registry_, "test"), 0);
  EXPECT_TRUE(breaker_.Allow());
  EXPECT_TRUE(breaker_.Allow());
  // And it needs the full threshold again to reopen.
  breaker_.RecordFailure();
  EXPECT_EQ(breaker_.state(), State::kClosed);
}

TEST_F(CircuitBreakerTest, FailedProbeReopensForAFullCoolDown) {
  Fail(3);
  clock_.Advance(absl::Seconds(10));
  ASSERT_TRUE(breaker_.Allow());
  breaker_.RecordFailure();
  EXPECT_EQ(breaker_.state(), State::kOpen);
  clock_.Advance(absl::Seconds(9));
  EXPECT_FALSE(breaker_.Allow());
  clock_.Advance(absl::Seconds(1));
  EXPECT_TRUE(breaker_.Allow());
}

TEST_F(CircuitBreakerTest, AbandonedProbeIsReplacedAfterAnotherCoolDown) {
  Fail(3);
  clock_.Advance(absl::Seconds(10));
  ASSERT_TRUE(breaker_.Allow());  // this caller never reports back
  clock_.Advance(absl::Seconds(5));
  EXPECT_FALSE(breaker_.Allow());
  clock_.Advance(absl::Seconds(5));
  EXPECT_TRUE(breaker_.Allow());
  breaker_.RecordSuccess();
  EXPECT_EQ(breaker_.state(), State::kClosed);
}

TEST(CircuitBreakerNoRegistryTest, WorksWithoutMetrics) {
  FakeClock clock;
  CircuitBreaker breaker("plain", {.failure_threshold = 1, .open_for = absl::Seconds(1)}, clock);
  ASSERT_TRUE(breaker.Allow());
  breaker.RecordFailure();
  EXPECT_FALSE(breaker.Allow());
  EXPECT_STREQ(StateName(breaker.state()), "open");
}

}  // namespace
}  // namespace etnik::redis

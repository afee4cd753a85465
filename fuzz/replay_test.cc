// Replays a fuzz target's seed corpus (fuzz/corpus/<target>/) and fixed-seed mutations of each
// seed through the target, so builds without libFuzzer (GCC with ASan+UBSan in CI) check the
// same properties the fuzzer does on every run.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

int Feed(const std::string& input) {
  return LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
}

std::vector<std::string> Corpus() {
  std::vector<std::string> seeds;
  for (const auto& entry : std::filesystem::directory_iterator(ETNIK_FUZZ_CORPUS)) {
    std::ifstream in(entry.path(), std::ios::binary);
    seeds.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return seeds;
}

std::string Mutate(std::string s, std::mt19937& rng) {
  const int edits = 1 + static_cast<int>(rng() % 8);
  for (int e = 0; e < edits; ++e) {
    const size_t pos = s.empty() ? 0 : rng() % s.size();
    switch (rng() % 5) {
      case 0:
        if (!s.empty()) s[pos] = static_cast<char>(rng() & 0xFF);
        break;
      case 1:
        if (!s.empty()) s[pos] = static_cast<char>(s[pos] ^ (1 << (rng() % 8)));
        break;
      case 2:
        if (!s.empty()) s.erase(pos, 1 + rng() % 4);
        break;
      case 3:
        s.insert(pos, 1, static_cast<char>(rng() & 0xFF));
        break;
      default:
        s.resize(pos);
        break;
    }
  }
  return s;
}

TEST(FuzzReplayTest, SeedCorpus) {
  const std::vector<std::string> seeds = Corpus();
  ASSERT_GE(seeds.size(), 3u) << ETNIK_FUZZ_CORPUS;
  for (const std::string& seed : seeds) EXPECT_EQ(Feed(seed), 0);
  EXPECT_EQ(Feed(""), 0);
}

TEST(FuzzReplayTest, MutatedSeeds) {
  std::mt19937 rng(20210412);  // fixed: the same inputs on every run
  for (const std::string& seed : Corpus()) {
    for (int i = 0; i < 150; ++i) ASSERT_EQ(Feed(Mutate(seed, rng)), 0);
  }
}

TEST(FuzzReplayTest, RandomBytes) {
  std::mt19937 rng(1618261199);
  for (int i = 0; i < 300; ++i) {
    std::string in(rng() % 300, '\0');
    for (char& c : in) c = static_cast<char>(rng() & 0xFF);
    ASSERT_EQ(Feed(in), 0);
  }
}

}  // namespace

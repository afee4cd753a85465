#ifndef ETNIK_FUZZ_FUZZ_INPUT_H_
#define ETNIK_FUZZ_FUZZ_INPUT_H_

// What every fuzz target shares: a reader that turns the fuzzer's bytes into values (past the
// end it yields zeros, so every input maps to something), a UTF-8 check, and FUZZ_CHECK, which
// aborts with the broken property so libFuzzer keeps the input as a crash.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace etnik::fuzz {

class FuzzInput {
 public:
  FuzzInput(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  uint8_t Byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  bool Bool() { return Byte() & 1; }
  bool Done() const { return pos_ >= size_; }
  // An integer in [lo, hi] from up to four bytes.
  int64_t Int(int64_t lo, int64_t hi) {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v = v << 8 | Byte();
    return lo + static_cast<int64_t>(v % static_cast<uint64_t>(hi - lo + 1));
  }
  // A raw byte string of at most `max` bytes, its length taken from the next byte.
  std::string Bytes(size_t max) {
    size_t n = Byte() % (max + 1);
    std::string out;
    for (size_t i = 0; i < n && !Done(); ++i) out += static_cast<char>(Byte());
    return out;
  }
  // One of a pool of interesting values.
  template <size_t N>
  const char* Pick(const char* const (&pool)[N]) {
    return pool[Byte() % N];
  }
  // Half of the time a pool value, else raw bytes: real-looking and hostile values alike.
  template <size_t N>
  std::string Text(const char* const (&pool)[N], size_t max = 64) {
    return Bool() ? std::string(Pick(pool)) : Bytes(max);
  }
  // Whatever is left.
  std::string Rest() {
    std::string out(reinterpret_cast<const char*>(data_ + pos_), size_ - pos_);
    pos_ = size_;
    return out;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

// Well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
inline bool IsUtf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;  // truncated sequence
    for (size_t k = 1; k <= n; ++k) {
      const unsigned char d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = cp << 6 | (d & 0x3F);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

[[noreturn]] inline void Fail(const char* what, const char* file, int line) {
  std::fprintf(stderr, "%s:%d: property broken: %s\n", file, line, what);
  std::abort();
}

}  // namespace etnik::fuzz

#define FUZZ_CHECK(cond) \
  do {                   \
    if (!(cond)) ::etnik::fuzz::Fail(#cond, __FILE__, __LINE__); \
  } while (0)

#endif  // ETNIK_FUZZ_FUZZ_INPUT_H_

#ifndef ETNIK_COMMON_REDIS_REPLY_H_
#define ETNIK_COMMON_REDIS_REPLY_H_

// An owned copy of a Redis reply, so callers never touch hiredis' redisReply.

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace etnik::redis {

struct Reply {
  enum class Type {
    kNil,      // a missing key (GET) or a null array
    kInteger,  // :42
    kString,   // a bulk string; binary-safe
    kStatus,   // +OK, +QUEUED
    kArray,    // *N, elements below
    kError,    // only inside arrays (e.g. EXEC); a top-level error is an INTERNAL status
  };

  Type type = Type::kNil;
  int64_t integer = 0;
  std::string str;  // kString, kStatus, kError
  std::vector<Reply> elements;

  static Reply Nil() { return Reply{}; }
  static Reply Integer(int64_t v) { return Reply{Type::kInteger, v, {}, {}}; }
  static Reply String(std::string s) { return Reply{Type::kString, 0, std::move(s), {}}; }
  static Reply Status(std::string s) { return Reply{Type::kStatus, 0, std::move(s), {}}; }
  static Reply Array(std::vector<Reply> e) { return Reply{Type::kArray, 0, {}, std::move(e)}; }
  static Reply Error(std::string s) { return Reply{Type::kError, 0, std::move(s), {}}; }

  bool is_nil() const { return type == Type::kNil; }
  bool is_string() const { return type == Type::kString; }
  bool is_integer() const { return type == Type::kInteger; }
  bool is_status() const { return type == Type::kStatus; }
  bool is_array() const { return type == Type::kArray; }

  friend bool operator==(const Reply&, const Reply&) = default;
};

// For test failure messages: +OK, :1, "bytes", (nil), [a, b].
std::string DebugString(const Reply& reply);

// GoogleTest prints replies with DebugString.
inline void PrintTo(const Reply& reply, std::ostream* os) { *os << DebugString(reply); }

}  // namespace etnik::redis

#endif  // ETNIK_COMMON_REDIS_REPLY_H_

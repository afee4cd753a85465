#ifndef ETNIK_COMMON_DB_SQL_QUERY_H_
#define ETNIK_COMMON_DB_SQL_QUERY_H_

// A statement whose SQL text and bound values are built together, for listings whose filters
// vary. Values are always bound (never spliced); each Bind() returns the placeholder to write
// into the text. Throws SOCI exceptions like any SOCI call: callers run inside CatchDbErrors.

#include <deque>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/db/db_errors.h"
#include "soci/soci.h"

namespace etnik::db {

class SqlQuery {
 public:
  explicit SqlQuery(soci::session& session) : st_(session) {}

  // Binds a value and returns its placeholder, e.g. ":p3".
  std::string Bind(const std::string& value) {
    CheckNoNul(value);
    strings_.push_back(value);
    std::string name = NextName();
    st_.exchange(soci::use(strings_.back(), name));
    return ":" + name;
  }
  std::string Bind(long long value) {
    ints_.push_back(value);
    std::string name = NextName();
    st_.exchange(soci::use(ints_.back(), name));
    return ":" + name;
  }
  std::string Bind(int value) { return Bind(static_cast<long long>(value)); }
  std::string Bind(double value) {
    doubles_.push_back(value);
    std::string name = NextName();
    st_.exchange(soci::use(doubles_.back(), name));
    return ":" + name;
  }

  // Columns of each row land in these variables (in SELECT order) at every Fetch().
  template <typename T>
  void Into(T& target) {
    st_.exchange(soci::into(target));
  }

  // Prepares and runs `sql`. For a SELECT, then call Fetch() until it returns false.
  void Execute(const std::string& sql) { Prepare(sql, /*with_data=*/false); }
  bool Fetch() { return st_.fetch(); }

  // Runs a statement that returns nothing (INSERT, UPDATE, DELETE); returns rows affected.
  long long Run(const std::string& sql) {
    Prepare(sql, /*with_data=*/true);
    return st_.get_affected_rows();
  }

 private:
  void Prepare(const std::string& sql, bool with_data) {
    st_.alloc();
    st_.prepare(sql);
    st_.define_and_bind();
    st_.execute(with_data);
  }
  std::string NextName() { return absl::StrCat("p", next_++); }

  soci::statement st_;
  std::deque<std::string> strings_;  // deques keep bound addresses stable
  std::deque<long long> ints_;
  std::deque<double> doubles_;
  int next_ = 0;
};

}  // namespace etnik::db

#endif  // ETNIK_COMMON_DB_SQL_QUERY_H_

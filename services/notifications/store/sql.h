#ifndef ETNIK_SERVICES_NOTIFICATIONS_STORE_SQL_H_
#define ETNIK_SERVICES_NOTIFICATIONS_STORE_SQL_H_

// A statement assembled at run time with every value bound (never spliced into the text).
// Bound values live in the builder, so it must outlive execution.

#include <deque>
#include <functional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/db/db_errors.h"
#include "soci/soci.h"

namespace etnik::notifications::store {

class Sql {
 public:
  Sql& operator<<(absl::string_view text) {
    sql_.append(text.data(), text.size());
    return *this;
  }
  Sql& Bind(std::string value) {
    etnik::db::CheckNoNul(value);
    strings_.push_back(std::move(value));
    order_.push_back({true, strings_.size() - 1});
    return Placeholder();
  }
  Sql& Bind(long long value) {
    ints_.push_back(value);
    order_.push_back({false, ints_.size() - 1});
    return Placeholder();
  }
  Sql& Bind(int value) { return Bind(static_cast<long long>(value)); }

  // Runs a statement without rows; the rows it changed.
  long long Exec(soci::session& session) {
    soci::statement st(session);
    Prepare(st, {});
    st.execute(true);
    return st.get_affected_rows();
  }

  // Runs a query; `intos` exchanges the row's targets, on_row() is called per row fetched.
  int Fetch(soci::session& session, const std::function<void(soci::statement&)>& intos,
            const std::function<void()>& on_row) {
    soci::statement st(session);
    Prepare(st, intos);
    int n = 0;
    if (st.execute(true)) {
      do {
        on_row();
        ++n;
      } while (st.fetch());
    }
    return n;
  }

 private:
  struct Bound {
    bool is_string;
    size_t index;
  };
  Sql& Placeholder() {
    absl::StrAppend(&sql_, ":p", ++count_);
    return *this;
  }
  void Prepare(soci::statement& st, const std::function<void(soci::statement&)>& intos) {
    if (intos) intos(st);
    for (const Bound& b : order_) {
      if (b.is_string) {
        st.exchange(soci::use(strings_[b.index]));
      } else {
        st.exchange(soci::use(ints_[b.index]));
      }
    }
    st.alloc();
    st.prepare(sql_);
    st.define_and_bind();
  }

  std::string sql_;
  int count_ = 0;
  std::deque<std::string> strings_;
  std::deque<long long> ints_;
  std::deque<Bound> order_;
};

}  // namespace etnik::notifications::store

#endif  // ETNIK_SERVICES_NOTIFICATIONS_STORE_SQL_H_

#ifndef ETNIK_COMMON_TESTING_SQLITE_TEMP_DATABASE_H_
#define ETNIK_COMMON_TESTING_SQLITE_TEMP_DATABASE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace etnik::test {

// A SQLite database file in a fresh temporary directory, removed (with its WAL files) when this
// object goes. Close every connection to it first.
class TempSqliteDatabase {
 public:
  static absl::StatusOr<std::unique_ptr<TempSqliteDatabase>> Create();
  ~TempSqliteDatabase();

  const std::string& path() const { return path_; }
  // sqlite:///tmp/etnik-sqlite-XXXXXX/test.db
  const std::string& url() const { return url_; }

 private:
  TempSqliteDatabase(std::string dir, std::string path)
      : dir_(std::move(dir)), path_(std::move(path)), url_("sqlite://" + path_) {}
  std::string dir_;
  std::string path_;
  std::string url_;
};

}  // namespace etnik::test

#endif  // ETNIK_COMMON_TESTING_SQLITE_TEMP_DATABASE_H_

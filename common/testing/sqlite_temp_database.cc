#include "common/testing/sqlite_temp_database.h"

#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace etnik::test {

absl::StatusOr<std::unique_ptr<TempSqliteDatabase>> TempSqliteDatabase::Create() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern =
      absl::StrCat(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp", "/etnik-sqlite-XXXXXX");
  if (mkdtemp(pattern.data()) == nullptr) {
    return absl::InternalError(absl::StrCat("mkdtemp: ", std::strerror(errno)));
  }
  std::string path = pattern + "/test.db";
  return std::unique_ptr<TempSqliteDatabase>(new TempSqliteDatabase(pattern, path));
}

TempSqliteDatabase::~TempSqliteDatabase() {
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

}  // namespace etnik::test

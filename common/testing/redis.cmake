# Test helper: a private redis-server per test (see redis_server.h).
etnik_library(etnik_testing_redis SRCS ${CMAKE_CURRENT_LIST_DIR}/redis_server.cc
  DEPS PkgConfig::HIREDIS absl::status absl::statusor absl::strings absl::time)

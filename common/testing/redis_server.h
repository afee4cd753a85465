#ifndef ETNIK_COMMON_TESTING_REDIS_SERVER_H_
#define ETNIK_COMMON_TESTING_REDIS_SERVER_H_

// A private redis-server for tests and benchmarks: its own free loopback port, its own
// temporary directory, no persistence. Fault tests stop, kill, pause and restart it.

#include <sys/types.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace etnik::test {

struct RedisServerOptions {
  std::string binary = "/usr/bin/redis-server";
  absl::Duration startup_timeout = absl::Seconds(10);
  int port_attempts = 5;  // another process may grab the probed port before redis binds it
};

class RedisServer {
 public:
  // Starts a server on a free port and waits until it answers PING (and INFO shows that the
  // answer comes from our process, not from another server that took the port).
  static absl::StatusOr<std::unique_ptr<RedisServer>> Launch(RedisServerOptions options = {});

  // Kills the server (if running) and removes its directory.
  ~RedisServer();
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  int port() const { return port_; }
  std::string host() const { return "127.0.0.1"; }
  std::string url() const;  // redis://127.0.0.1:<port>
  bool running() const { return pid_ > 0; }

  // Graceful stop (SIGTERM, then SIGKILL after 5 s); the data is gone (no persistence).
  absl::Status Stop();
  // Starts again on the same port after Stop() or Kill().
  absl::Status Start();
  // SIGKILL, as a crash would.
  absl::Status Kill();
  // CLIENT PAUSE for `duration`: the server accepts connections but answers nothing.
  absl::Status Pause(absl::Duration duration);
  // Runs one command on a fresh connection (for test setup and checks); returns the reply
  // as text (integers in decimal, nil as "(nil)").
  absl::StatusOr<std::string> Execute(std::initializer_list<std::string> args) const;

 private:
  RedisServer(RedisServerOptions options, std::string dir);
  absl::Status Spawn(int port);
  absl::Status WaitUntilReady();
  absl::Status Reap(absl::Duration grace);

  const RedisServerOptions options_;
  const std::string dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace etnik::test

#endif  // ETNIK_COMMON_TESTING_REDIS_SERVER_H_

#ifndef ETNIK_SERVICES_NOTIFICATIONS_CHANNELS_TESTING_SMTP_SERVER_H_
#define ETNIK_SERVICES_NOTIFICATIONS_CHANNELS_TESTING_SMTP_SERVER_H_

// A real SMTP server for tests: Debian's python3-aiosmtpd on a free loopback port, with
// eml_handler.py keeping each message as N.eml and N.json (parsed by Python's email package) in
// a private directory. Test-only; never linked into the service.

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace etnik::notifications::testing {

class SmtpServer {
 public:
  static absl::StatusOr<std::unique_ptr<SmtpServer>> Launch();
  ~SmtpServer();
  SmtpServer(const SmtpServer&) = delete;
  SmtpServer& operator=(const SmtpServer&) = delete;

  int port() const { return port_; }
  std::string url() const;  // smtp://127.0.0.1:<port>
  // The JSON descriptions of the messages received so far, in order.
  std::vector<std::string> Messages() const;
  // The raw .eml of message n (1-based).
  std::string Raw(int n) const;
  // Stops the server (SIGTERM, then SIGKILL).
  void Stop();

 private:
  explicit SmtpServer(std::string dir) : dir_(std::move(dir)) {}
  absl::Status Spawn(int port);
  absl::Status WaitUntilReady();

  const std::string dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace etnik::notifications::testing

#endif  // ETNIK_SERVICES_NOTIFICATIONS_CHANNELS_TESTING_SMTP_SERVER_H_

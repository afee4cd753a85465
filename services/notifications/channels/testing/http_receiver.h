#ifndef ETNIK_SERVICES_NOTIFICATIONS_CHANNELS_TESTING_HTTP_RECEIVER_H_
#define ETNIK_SERVICES_NOTIFICATIONS_CHANNELS_TESTING_HTTP_RECEIVER_H_

// A cpp-httplib server on a free loopback port, run on its own thread for one test. The socket
// listens from the constructor on, so requests made right away queue instead of failing.

#include <httplib.h>

#include <chrono>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"

namespace etnik::notifications::testing {

class HttpReceiver {
 public:
  HttpReceiver() : port_(server_.bind_to_any_port("127.0.0.1")) {
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~HttpReceiver() {
    // stop() does nothing until the loop runs, so wait for it (bounded) before stopping.
    for (int i = 0; i < 5000 && !server_.is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    server_.stop();
    thread_.join();
  }
  HttpReceiver(const HttpReceiver&) = delete;
  HttpReceiver& operator=(const HttpReceiver&) = delete;

  httplib::Server& server() { return server_; }
  int port() const { return port_; }
  std::string base_url() const { return absl::StrCat("http://127.0.0.1:", port_); }

 private:
  httplib::Server server_;
  int port_;
  std::thread thread_;
};

}  // namespace etnik::notifications::testing

#endif  // ETNIK_SERVICES_NOTIFICATIONS_CHANNELS_TESTING_HTTP_RECEIVER_H_

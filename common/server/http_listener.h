#ifndef ETNIK_COMMON_SERVER_HTTP_LISTENER_H_
#define ETNIK_COMMON_SERVER_HTTP_LISTENER_H_

#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"

namespace httplib {
class Server;
}

namespace etnik::server {

// A cpp-httplib server on its own thread: bind host:port (port 0 picks a free one), serve
// until Stop(). Routes are added to server() before Start().
class HttpListener {
 public:
  HttpListener();
  ~HttpListener();
  HttpListener(const HttpListener&) = delete;
  HttpListener& operator=(const HttpListener&) = delete;

  httplib::Server& server() { return *server_; }
  absl::Status Start(const std::string& address);
  int port() const { return port_; }
  void Stop();

 private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace etnik::server

#endif  // ETNIK_COMMON_SERVER_HTTP_LISTENER_H_

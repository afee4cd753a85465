#ifndef ETNIK_SERVICES_GATEWAY_HTTP_WEB_ASSETS_H_
#define ETNIK_SERVICES_GATEWAY_HTTP_WEB_ASSETS_H_

// The gateway's web page (services/gateway/web), built into the binary: GET / is the page,
// GET /app/{file} its scripts and styles. Every answer carries an ETag and asks the browser to
// revalidate, so a new gateway build is seen on the next load.

#include <cstddef>
#include <vector>

namespace httplib {
class Server;
}  // namespace httplib

namespace etnik::gateway {

struct WebAsset {
  const char* name;          // file name in services/gateway/web, e.g. "app.js"
  const char* content_type;  // "text/javascript; charset=utf-8"
  const unsigned char* data;
  size_t size;
  const char* etag;  // quoted, from the file's SHA-256
};

// Every file of the page (generated at build time by embed_web.cmake).
const std::vector<WebAsset>& WebAssets();

// Adds GET / and GET /app/{file} to the server.
void AddWebPage(httplib::Server& server);

}  // namespace etnik::gateway

#endif  // ETNIK_SERVICES_GATEWAY_HTTP_WEB_ASSETS_H_

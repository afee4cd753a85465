#include "services/gateway/http/web_assets.h"

#include <string>

#include "httplib.h"

namespace etnik::gateway {
namespace {

const WebAsset* Find(const std::string& name) {
  for (const WebAsset& asset : WebAssets()) {
    if (name == asset.name) return &asset;
  }
  return nullptr;
}

void Send(const httplib::Request& req, httplib::Response& res, const WebAsset* asset) {
  if (asset == nullptr) {
    res.status = 404;
    res.set_content("not found\n", "text/plain; charset=utf-8");
    return;
  }
  res.set_header("ETag", asset->etag);
  // Stored but revalidated on every use: file names carry no version.
  res.set_header("Cache-Control", "no-cache");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "no-referrer");
  if (std::string(asset->name) == "index.html") {
    res.set_header("Content-Security-Policy",
                   "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                   "frame-ancestors 'none'; form-action 'none'");
  }
  if (req.get_header_value("If-None-Match") == asset->etag) {
    res.status = 304;
    return;
  }
  res.status = 200;
  res.set_content(reinterpret_cast<const char*>(asset->data), asset->size, asset->content_type);
}

}  // namespace

void AddWebPage(httplib::Server& server) {
  auto page = [](const httplib::Request& req, httplib::Response& res) { Send(req, res, Find("index.html")); };
  server.Get("/", page);
  // E-mails link here (notifications' public_base_url + /unsubscribe?token=...).
  server.Get("/unsubscribe", page);
  server.Get("/app/([A-Za-z0-9_.-]+)", [](const httplib::Request& req, httplib::Response& res) {
    Send(req, res, Find(req.matches[1].str()));
  });
}

}  // namespace etnik::gateway

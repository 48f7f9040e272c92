#pragma once
// Static files of the web app, served on WebSocket listeners (GET /, /index.html, /assets/...).
#include <string>
#include <string_view>

namespace postcard::native {

struct http_file {
  unsigned status = 200;  // 200, 403 or 404
  std::string content_type;
  std::string body;
};

// Maps a request target to a file under `root` ("/" -> index.html). Rejects paths that leave the root.
// With no root configured, "/" answers with a short page that says what this server is.
http_file load_http_file(const std::string& root, std::string_view target);

std::string_view content_type_for(std::string_view path);

}  // namespace postcard::native

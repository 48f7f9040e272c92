#include "net/http_files.hpp"

#include <fstream>
#include <iterator>
#include <sstream>

namespace postcard::native {

std::string_view content_type_for(std::string_view path) {
  auto dot = path.rfind('.');
  auto ext = dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "text/javascript";
  if (ext == "css") return "text/css";
  if (ext == "wasm") return "application/wasm";
  if (ext == "json" || ext == "map") return "application/json";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "ico") return "image/x-icon";
  if (ext == "txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes the path part of a request target; false if it is malformed.
bool decode_path(std::string_view target, std::string& path) {
  target = target.substr(0, target.find_first_of("?#"));
  for (std::size_t i = 0; i < target.size(); ++i) {
    if (target[i] != '%') {
      path.push_back(target[i]);
      continue;
    }
    if (i + 2 >= target.size()) return false;
    int hi = hex_value(target[i + 1]), lo = hex_value(target[i + 2]);
    if (hi < 0 || lo < 0) return false;
    path.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return !path.empty() && path.front() == '/';
}

http_file text(unsigned status, std::string body) {
  return {status, "text/plain; charset=utf-8", std::move(body)};
}

}  // namespace

http_file load_http_file(const std::string& root, std::string_view target) {
  std::string path;
  if (!decode_path(target, path)) return text(404, "not found\n");
  // Every segment must be an ordinary name: no "..", no hidden files, no NUL.
  for (std::size_t pos = 1; pos <= path.size();) {
    auto end = path.find('/', pos);
    if (end == std::string::npos) end = path.size();
    std::string_view segment(path.data() + pos, end - pos);
    if (segment == ".." || segment == "." || (!segment.empty() && segment.front() == '.') ||
        segment.find('\0') != std::string_view::npos)
      return text(403, "forbidden\n");
    pos = end + 1;
  }
  if (path.back() == '/') path += "index.html";
  if (root.empty()) {
    if (path == "/index.html")
      return {200, "text/html; charset=utf-8",
              "<!doctype html><title>Postcard</title><link rel=\"icon\" href=\"data:,\">"
              "<p>Postcard MQTT broker. MQTT over WebSocket on this port (subprotocol <code>mqtt</code>); "
              "metrics at <a href=\"/metrics\">/metrics</a>. No web app directory is configured "
              "(<code>http_dir</code>).</p>\n"};
    return text(404, "not found\n");
  }
  std::ifstream in(root + path, std::ios::binary);
  if (!in) return text(404, "not found\n");
  std::ostringstream body;
  body << in.rdbuf();
  return {200, std::string(content_type_for(path)), body.str()};
}

}  // namespace postcard::native

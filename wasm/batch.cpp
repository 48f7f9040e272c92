#include "batch.hpp"

#include <cstdio>

namespace postcard::wasm {

void json_writer::str(std::string_view v) {
  out_ += '"';
  for (char c : v) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out_ += '\\';
      out_ += c;
    } else if (u < 0x20) {
      char esc[8];
      std::snprintf(esc, sizeof esc, "\\u%04x", static_cast<unsigned>(u));
      out_ += esc;
    } else {
      out_ += c;
    }
  }
  out_ += '"';
  first_ = false;
}

void json_writer::num(std::uint64_t v) {
  out_ += std::to_string(v);
  first_ = false;
}

void json_writer::num(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", v);
  out_ += text;
  first_ = false;
}

void json_writer::bytes(bytes_view v) {
  out_ += '[';
  bool first = true;
  for (auto b : v) {
    if (!first) out_ += ',';
    first = false;
    out_ += std::to_string(b);
  }
  out_ += ']';
  first_ = false;
}

}  // namespace postcard::wasm

// UTF-8 well-formedness for MQTT strings (RFC 3629 as required by [MQTT-1.5.4-1]): no overlong forms,
// no surrogate code points U+D800..U+DFFF, nothing above U+10FFFF, and no U+0000 [MQTT-1.5.4-2].
// Control characters and non-characters are allowed on the wire (a SHOULD NOT for senders).
#include "codec/wire.hpp"

namespace postcard::wire {

codec_error validate_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
  const auto* const end = p + s.size();
  while (p != end) {
    const std::uint8_t b0 = *p;
    if (b0 < 0x80) {  // ASCII fast path
      if (b0 == 0) return codec_error::utf8_null_character;  // [MQTT-1.5.4-2]
      ++p;
      continue;
    }
    std::size_t len = 0;
    std::uint8_t lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      len = 2;
    } else if (b0 == 0xE0) {
      len = 3, lo = 0xA0;  // no overlong 3-byte forms
    } else if (b0 == 0xED) {
      len = 3, hi = 0x9F;  // U+D800..U+DFFF are surrogates [MQTT-1.5.4-1]
    } else if (b0 >= 0xE1 && b0 <= 0xEF) {
      len = 3;
    } else if (b0 == 0xF0) {
      len = 4, lo = 0x90;  // no overlong 4-byte forms
    } else if (b0 >= 0xF1 && b0 <= 0xF3) {
      len = 4;
    } else if (b0 == 0xF4) {
      len = 4, hi = 0x8F;  // nothing above U+10FFFF
    } else {
      return codec_error::invalid_utf8;  // continuation byte, C0/C1 overlong lead, or F5..FF
    }
    if (static_cast<std::size_t>(end - p) < len) return codec_error::invalid_utf8;
    if (p[1] < lo || p[1] > hi) return codec_error::invalid_utf8;
    for (std::size_t i = 2; i < len; ++i) {
      if ((p[i] & 0xC0) != 0x80) return codec_error::invalid_utf8;
    }
    p += len;
  }
  return codec_error::ok;
}

}  // namespace postcard::wire

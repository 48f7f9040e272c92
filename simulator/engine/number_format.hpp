#pragma once
// Sensor values as text: what snprintf("%.*f") prints, faster.
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>

namespace postcard::sim {

// printf's "%.*f", digit for digit, without its cost in the common case: |v| * 10^decimals below 2^31 is
// computed within 2.4e-7 of the exact product, so unless its fraction lies within 1e-6 of a tie, rounding
// it to the nearest integer rounds the exact binary value the way printf does; ties, large values and
// non-finite ones go to snprintf. The sign follows printf too ("-0.00" for -0.001).
inline std::string format_number(double v, int decimals) {
  static constexpr double scale[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6};
  static constexpr std::uint64_t iscale[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
  if (decimals >= 0 && decimals <= 6 && std::isfinite(v)) {
    const auto d = static_cast<std::size_t>(decimals);
    const double a = std::fabs(v) * scale[d];
    if (a < 2147483648.0) {
      const double whole = std::floor(a);
      const double frac = a - whole;
      if (std::fabs(frac - 0.5) > 1e-6) {
        const std::uint64_t n = static_cast<std::uint64_t>(whole) + (frac > 0.5 ? 1 : 0);
        char buf[32];
        char* p = buf;
        if (std::signbit(v)) *p++ = '-';
        p = std::to_chars(p, buf + sizeof buf, n / iscale[d]).ptr;
        if (d > 0) {
          *p++ = '.';
          std::uint64_t f = n % iscale[d];
          for (std::size_t i = d; i-- > 0;) {
            p[i] = static_cast<char>('0' + f % 10);
            f /= 10;
          }
          p += d;
        }
        return std::string(buf, p);
      }
    }
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

}  // namespace postcard::sim

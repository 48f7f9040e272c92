#pragma once
// One flat JSON object built field by field: the generator's machine-readable result line.
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>

namespace loadgen {

class json_line {
public:
    void str(std::string_view key, std::string_view value) {
        begin(key);
        text_ += '"';
        for (char ch : value) {
            if (ch == '"' || ch == '\\') text_ += '\\';
            if (static_cast<unsigned char>(ch) < 0x20) ch = ' ';
            text_ += ch;
        }
        text_ += '"';
    }
    void num(std::string_view key, double value) {
        begin(key);
        char buf[64];
        if (!std::isfinite(value)) value = -1;
        if (value == std::floor(value) && std::fabs(value) < 1e15) std::snprintf(buf, sizeof buf, "%.0f", value);
        else std::snprintf(buf, sizeof buf, "%.6g", value);
        text_ += buf;
    }
    std::string text() const { return text_ + "}"; }

private:
    void begin(std::string_view key) {
        text_ += text_.empty() ? "{" : ",";
        text_ += '"';
        text_ += key;
        text_ += "\":";
    }
    std::string text_;
};

} // namespace loadgen

#pragma once
// Value parsers for directives: each takes the directive and returns the value or an error whose
// message is "file:line: what is wrong". Strict where Mosquitto is lenient (it reads "12abc" as 12):
// a bad number is an error here.
#include <cstdint>
#include <string>

#include "config/config_reader.hpp"
#include "config/result.hpp"

namespace postcard::native {

// "file:line: message"
error directive_error(const directive& d, const std::string& message);

// Exactly one word.
result<std::string> one_word(const directive& d);
// The rest of the line, which must not be empty (paths and strings may contain spaces).
result<std::string> text_value(const directive& d);
// A path, absolute as given or resolved against the working directory.
result<std::string> path_value(const directive& d);
// true | false.
result<bool> bool_value(const directive& d);
// A decimal integer in [min, max].
result<std::uint64_t> unsigned_value(const directive& d, std::uint64_t min, std::uint64_t max);
result<std::int64_t> signed_value(const directive& d, std::int64_t min, std::int64_t max);
// persistent_client_expiration: an integer followed by h, d, w, m (30 days) or y (365 days); seconds.
result<std::uint64_t> duration_value(const directive& d);

// Parses the decimal integer `text` (optional leading '-'); false when it is not one or overflows.
bool parse_integer(const std::string& text, std::int64_t& out);

}  // namespace postcard::native

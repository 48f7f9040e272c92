// postcard-passwd: see native/security/passwd_command.hpp.
#include <termios.h>
#include <unistd.h>

#include <iostream>
#include <string>

#include "security/passwd_command.hpp"

namespace {

// Reads one line from standard input, without echo when it is a terminal.
postcard::native::result<std::string> read_password(std::string_view prompt) {
  std::cout << prompt << std::flush;
  termios saved{};
  const bool terminal = ::isatty(STDIN_FILENO) == 1 && ::tcgetattr(STDIN_FILENO, &saved) == 0;
  if (terminal) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  std::string line;
  const bool got = static_cast<bool>(std::getline(std::cin, line));
  if (terminal) {
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    std::cout << "\n";
  }
  if (!got) return postcard::native::error{"no password given (end of input)"};
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace

int main(int argc, char** argv) {
  return postcard::native::run_passwd_command(argc, argv, read_password, std::cout, std::cerr);
}

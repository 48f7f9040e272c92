#pragma once
// A value or an error message, returned by everything in native/config and native/security that can
// fail on bad input (files, command lines, peers). Nothing in these folders throws past its API.
#include <string>
#include <utility>
#include <variant>

namespace postcard::native {

struct error {
  std::string message;  // complete and printable, e.g. "broker.conf:12: invalid port value (70000)"
};

template <class T>
class [[nodiscard]] result {
 public:
  result(T value) : state_(std::in_place_index<0>, std::move(value)) {}      // NOLINT: implicit by design
  result(error failure) : state_(std::in_place_index<1>, std::move(failure)) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const std::string& error_message() const { return std::get<1>(state_).message; }

 private:
  std::variant<T, error> state_;
};

struct ok_t {};
// A success or an error: `return ok;` / `return error{"..."};`.
using status = result<ok_t>;
inline constexpr ok_t ok{};

}  // namespace postcard::native

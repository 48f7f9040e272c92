#pragma once
// Reading a scenario from JSON (the format of simulator/scenario.schema.json), with validation errors
// that name the place: "$.devices[2].link.loss: must be a number from 0 to 1, got 1.5".
// Every problem is reported, not only the first one.
#include <string>
#include <string_view>
#include <vector>

#include "json.hpp"
#include "scenario.hpp"

namespace postcard::sim {

struct load_error {
  std::string path;     // JSON path, "$" for the document
  std::string message;
};

struct load_result {
  bool ok = false;
  scenario value;
  std::vector<load_error> errors;
};

load_result load_scenario(std::string_view json_text);
load_result load_scenario(const json& document);

// "$.devices[2].link.loss: must be ..."
std::string to_string(const load_error& e);

}  // namespace postcard::sim

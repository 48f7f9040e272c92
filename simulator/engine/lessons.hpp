#pragma once
// The shipped lessons (simulator/lessons/*.json), compiled in so that the browser and the tests need no
// file system. The build generates lessons.cpp from the JSON files.
#include <span>
#include <string_view>

namespace postcard::sim {

struct lesson_file {
  std::string_view name;  // file name without ".json", e.g. "01-publish-subscribe"
  std::string_view json;
};

std::span<const lesson_file> builtin_lessons();

}  // namespace postcard::sim

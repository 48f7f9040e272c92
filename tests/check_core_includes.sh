#!/usr/bin/env bash
# Fails if anything under core/ includes a header that is neither the C++ standard library
# nor another file of core/ itself. core/ is sans-I/O and portable: no Boost, no OS headers.
set -euo pipefail
core=${1:?usage: check_core_includes.sh CORE_DIR}
std_headers=" algorithm any array atomic bit bitset cassert cctype cerrno cfloat charconv chrono cinttypes climits cmath compare concepts cstddef cstdint cstdio cstdlib cstring deque exception functional initializer_list iterator limits list map memory memory_resource new numeric optional queue random ratio set span stdexcept string string_view system_error tuple type_traits typeinfo unordered_map unordered_set utility variant vector version "
status=0
while IFS= read -r line; do
  file=${line%%:*}; rest=${line#*:}; lineno=${rest%%:*}; text=${rest#*:}
  if [[ $text =~ \#[[:space:]]*include[[:space:]]*\<([^>]+)\> ]]; then
    header=${BASH_REMATCH[1]}
    if [[ $std_headers != *" $header "* ]]; then
      echo "$file:$lineno: <$header> is not a standard library header allowed in core/"; status=1
    fi
  elif [[ $text =~ \#[[:space:]]*include[[:space:]]*\"([^\"]+)\" ]]; then
    header=${BASH_REMATCH[1]}
    if [[ ! -f "$core/$header" && ! -f "$(dirname "$file")/$header" ]]; then
      echo "$file:$lineno: \"$header\" is not a file of core/"; status=1
    fi
  elif [[ $text =~ \#[[:space:]]*include ]]; then
    echo "$file:$lineno: unrecognised include"; status=1
  fi
done < <(grep -rn --include='*.hpp' --include='*.cpp' -E '^[[:space:]]*#[[:space:]]*include' "$core")
[[ $status == 0 ]] && echo "core/ includes only the standard library and itself"
exit $status

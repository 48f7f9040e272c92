# Sourced by scripts/test.sh and scripts/test-sanitize.sh: running the sanitizer tree (build-asan/,
# POSTCARD_SANITIZE=ON: AddressSanitizer + UndefinedBehaviorSanitizer + LeakSanitizer) and finding its reports.
#   sanitizer_env                      exports ASAN_OPTIONS and UBSAN_OPTIONS (reports on stderr)
#   sanitizer_wrap REAL WRAPPER DIR    writes WRAPPER: runs REAL in its own place (exec: same pid, so the
#                                      tests' signals, SIGKILL included, reach REAL) with its stderr also
#                                      copied to DIR/<name>.<pid>. For the brokers node suites start: a passing
#                                      test never reads their stderr, so the copies are scanned afterwards.
#   sanitizer_reports DIR              prints every copy holding a sanitizer report and returns how many
#                                      there are (0: none; at most 255)
# Why copies of stderr and not log_path: with g++ 12, UBSan's runtime is a library of its own that ignores
# log_path (from ASAN_OPTIONS and UBSAN_OPTIONS alike) and always writes to stderr.
# halt_on_error/abort_on_error: the first report ends the process with a failure; UBSan checks are compiled
# with -fno-sanitize-recover, so they abort whatever the options say. detect_leaks stays on: a leak at a
# clean exit (SIGTERM, end of a test) is a report. A SIGKILLed broker exits without any check, so the crash
# tests cannot produce false reports. There are no suppressions.
sanitizer_env() {
  export ASAN_OPTIONS=halt_on_error=1:abort_on_error=1:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1
  export UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1
}

sanitizer_wrap() {
  mkdir -p "$(dirname "$2")" "$3"
  printf '#!/usr/bin/env bash\nexec %q "$@" 2> >(tee %q.$$ >&2)\n' "$1" "$3/${1##*/}" > "$2"
  chmod +x "$2"
}

sanitizer_reports() {
  local files=() f
  for f in "$1"/*; do
    [[ -f $f ]] && grep -qaE 'ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: (Address|UndefinedBehavior)Sanitizer' "$f" &&
      files+=("$f")
  done
  for f in "${files[@]}"; do echo "sanitizer report in $f:"; grep -aE -A40 'ERROR: |runtime error:' "$f" | head -60; done
  ((${#files[@]} < 255)) && return "${#files[@]}"
  return 255
}

# Our own targets compile warning-free, as errors. Third-party code (GoogleTest) does not get these.
function(postcard_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Werror)
endfunction()

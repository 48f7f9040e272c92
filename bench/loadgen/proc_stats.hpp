#pragma once
// What the generator reads about the broker from /proc: CPU time (utime + stime of all its
// threads, /proc/PID/stat fields 14 and 15) and resident memory (VmRSS in /proc/PID/status).
#include <cstdint>

namespace loadgen {

// Microseconds of CPU the process has used, or -1 when it cannot be read.
std::int64_t process_cpu_us(int pid);
// Resident set size in bytes, or -1.
std::int64_t process_rss_bytes(int pid);
// This process's own CPU time in microseconds.
std::int64_t self_cpu_us();

} // namespace loadgen

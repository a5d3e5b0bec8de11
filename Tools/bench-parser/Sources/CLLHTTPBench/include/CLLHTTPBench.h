// C comparison: llhttp as swift-nio builds it (CNIOLLHTTP, c_nio_llhttp_* symbols) on the same heads.
#ifndef CLLHTTP_BENCH_H
#define CLLHTTP_BENCH_H
#include <stddef.h>

/// Parses `data` as one complete message `iterations` times (request if is_request, else response) with
/// swift-nio's llhttp and returns the thread CPU nanoseconds taken, or -1 if a message did not complete;
/// *headers receives the header count seen in total.
double llhttp_bench(const char *data, size_t length, int is_request, long iterations, long *headers);

/// The same loop from a separately compiled llhttp (run.sh builds one at -O3 -msse4.2 as a shared library,
/// loaded with dlopen so its symbols cannot clash with swift-nio's): `library` is its path. Returns -2 when
/// the library cannot be loaded.
double llhttp_bench_library(const char *library, const char *data, size_t length, int is_request, long iterations,
                            long *headers);

#endif

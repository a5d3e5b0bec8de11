// C comparison: nodejs http-parser 2.9 (Debian libhttp-parser-dev) on the same heads.
#ifndef CHTTP_PARSER_BENCH_H
#define CHTTP_PARSER_BENCH_H
#include <stddef.h>

/// Parses `data` as one complete message `iterations` times (request if is_request, else response) and
/// returns the thread CPU nanoseconds taken; *headers receives the header count seen in total.
double http_parser_bench(const char *data, size_t length, int is_request, long iterations, long *headers);

#endif

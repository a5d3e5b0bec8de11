// Times llhttp the way bench-parser times HTTP1: one execute per complete message, counting callbacks.
//
// run.sh compiles this same file together with swift-nio's llhttp sources at -O3 -msse4.2 into a shared
// library (LLHTTP_BENCH_STANDALONE); only its entry point is exported (a linker version script), so that
// copy's c_nio_llhttp_* symbols stay private and do not clash with the ones NIOHTTP1 links in.
#include <c_nio_llhttp.h>
#include <time.h>
#ifndef LLHTTP_BENCH_STANDALONE
#include "CLLHTTPBench.h"
#include <dlfcn.h>
#endif

#ifndef LLHTTP_BENCH_ENTRY
#define LLHTTP_BENCH_ENTRY llhttp_bench
#endif

static long header_count;
static long message_count;

static int on_header_value_complete(llhttp_t *parser) {
    (void)parser;
    header_count++;
    return 0;
}

static int on_message_complete(llhttp_t *parser) {
    (void)parser;
    message_count++;
    return 0;
}

static double thread_ns(void) {
    struct timespec spec;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec);
    return (double)spec.tv_sec * 1e9 + (double)spec.tv_nsec;
}

double LLHTTP_BENCH_ENTRY(const char *data, size_t length, int is_request, long iterations, long *headers) {
    llhttp_settings_t settings;
    c_nio_llhttp_settings_init(&settings);
    settings.on_header_value_complete = on_header_value_complete;
    settings.on_message_complete = on_message_complete;
    llhttp_t parser;
    header_count = 0;
    message_count = 0;
    double start = thread_ns();
    for (long i = 0; i < iterations; i++) {
        c_nio_llhttp_init(&parser, is_request ? HTTP_REQUEST : HTTP_RESPONSE, &settings);
        c_nio_llhttp_execute(&parser, data, length);
    }
    double elapsed = thread_ns() - start;
    *headers = header_count;
    return message_count == iterations ? elapsed : -1;
}

#ifndef LLHTTP_BENCH_STANDALONE
typedef double (*bench_entry)(const char *, size_t, int, long, long *);

double llhttp_bench_library(const char *library, const char *data, size_t length, int is_request, long iterations,
                            long *headers) {
    static void *handle;
    if (!handle) handle = dlopen(library, RTLD_NOW | RTLD_LOCAL);
    if (!handle) return -2;
    bench_entry entry = (bench_entry)dlsym(handle, "llhttp_bench_standalone");
    if (!entry) return -2;
    return entry(data, length, is_request, iterations, headers);
}
#endif

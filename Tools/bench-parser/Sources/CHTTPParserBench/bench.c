// Times http-parser the way bench-parser times HTTP1: one execute per complete message, counting callbacks.
#include "CHTTPParserBench.h"
#include <http_parser.h>
#include <time.h>

static long header_count;
static long message_count;

static int on_header_value(http_parser *parser, const char *at, size_t length) {
    (void)parser; (void)at; (void)length;
    header_count++;
    return 0;
}

static int on_message_complete(http_parser *parser) {
    (void)parser;
    message_count++;
    return 0;
}

static double thread_ns(void) {
    struct timespec spec;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec);
    return (double)spec.tv_sec * 1e9 + (double)spec.tv_nsec;
}

double http_parser_bench(const char *data, size_t length, int is_request, long iterations, long *headers) {
    http_parser_settings settings = {0};
    settings.on_header_value = on_header_value;
    settings.on_message_complete = on_message_complete;
    http_parser parser;
    header_count = 0;
    message_count = 0;
    double start = thread_ns();
    for (long i = 0; i < iterations; i++) {
        http_parser_init(&parser, is_request ? HTTP_REQUEST : HTTP_RESPONSE);
        http_parser_execute(&parser, &settings, data, length);
    }
    double elapsed = thread_ns() - start;
    *headers = header_count;
    return message_count == iterations ? elapsed : -1;
}

// libpcap for Swift: the public header plus the few constants Swift cannot import as macros, and
// one compiler intrinsic.
#ifndef GATEWATCH_CPCAP_SHIM_H
#define GATEWATCH_CPCAP_SHIM_H
#include <pcap/pcap.h>
#include <signal.h>
#include <unistd.h>
#include <grp.h>
#include <pwd.h>

// A hint to start loading the cache line at `address` (which may lie anywhere: a prefetch never
// faults). Swift has no spelling for it. The savefile reader asks for the next record's header
// while the packet loop works on the current one: when another thread read the block, each
// header was a cache miss (measured on nginx-large).
static inline void gatewatch_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }
#endif

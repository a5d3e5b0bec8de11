// libpcap for Swift: the public header plus the few constants Swift cannot import as macros.
#ifndef GATEWATCH_CPCAP_SHIM_H
#define GATEWATCH_CPCAP_SHIM_H
#include <pcap/pcap.h>
#include <signal.h>
#include <unistd.h>
#include <grp.h>
#include <pwd.h>
#endif

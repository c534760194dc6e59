// Preloaded into programs run under valgrind (scripts/get_valgrind.sh builds it): valgrind 3.24's
// rt_sigsuspend handler writes into the caller's signal mask, and libdispatch's main thread (a Swift
// program's async main) passes a mask in read-only memory, so valgrind crashes on its own write.
// The program gets a writable copy of the mask instead; nothing else changes.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>

int sigsuspend(const sigset_t *mask) {
    static int (*next)(const sigset_t *);
    if (!next) next = (int (*)(const sigset_t *))dlsym(RTLD_NEXT, "sigsuspend");
    sigset_t copy = *mask;
    return next(&copy);
}

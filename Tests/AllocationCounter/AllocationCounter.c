// Counts large allocations and large memory copies per thread, so a test can tell how many times
// a message's bytes are copied: every copy of a 40 KB payload is one `memcpy`/`memmove` of about
// its size, usually into a new allocation. Threads other than the counting one (tests run in
// parallel) are not counted.
//
// glibc only: defining `malloc` or `memcpy` in the test executable interposes it for the whole
// process (shared libraries included); glibc exports its own as `__libc_malloc` and through the
// fortified `__memcpy_chk`.
#include "AllocationCounter.h"

static _Thread_local __attribute__((tls_model("initial-exec"))) int counting;
static _Thread_local __attribute__((tls_model("initial-exec"))) uint64_t minimum;
static _Thread_local __attribute__((tls_model("initial-exec"))) uint64_t counted_bytes;
static _Thread_local __attribute__((tls_model("initial-exec"))) uint64_t counted_blocks;
static _Thread_local __attribute__((tls_model("initial-exec"))) uint64_t copied_bytes;
static _Thread_local __attribute__((tls_model("initial-exec"))) uint64_t copy_calls;

#if defined(__linux__) && defined(__GLIBC__)
#include <stddef.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
// The fortified entry points are exported and call glibc's own (IFUNC-selected) copies.
extern void *__memcpy_chk(void *destination, const void *source, size_t size, size_t destination_size);
extern void *__memmove_chk(void *destination, const void *source, size_t size, size_t destination_size);

static inline void count(size_t size) {
    if (counting && size >= minimum) {
        counted_bytes += size;
        counted_blocks += 1;
    }
}

void *malloc(size_t size) {
    count(size);
    return __libc_malloc(size);
}

void *calloc(size_t count_, size_t size) {
    count(count_ * size);
    return __libc_calloc(count_, size);
}

void *realloc(void *pointer, size_t size) {
    count(size);
    return __libc_realloc(pointer, size);
}

static inline void count_copy(size_t size) {
    if (counting && size >= minimum) {
        copied_bytes += size;
        copy_calls += 1;
    }
}

void *memcpy(void *destination, const void *source, size_t size) {
    count_copy(size);
    return __memcpy_chk(destination, source, size, size);
}

void *memmove(void *destination, const void *source, size_t size) {
    count_copy(size);
    return __memmove_chk(destination, source, size, size);
}

int allocation_counter_is_available(void) { return 1; }
#else
int allocation_counter_is_available(void) { return 0; }
#endif

void allocation_counter_start(uint64_t minimum_bytes) {
    minimum = minimum_bytes;
    counted_bytes = 0;
    counted_blocks = 0;
    copied_bytes = 0;
    copy_calls = 0;
    counting = 1;
}

void allocation_counter_stop(void) { counting = 0; }

uint64_t allocation_counter_bytes(void) { return counted_bytes; }

uint64_t allocation_counter_blocks(void) { return counted_blocks; }

uint64_t allocation_counter_copied_bytes(void) { return copied_bytes; }

uint64_t allocation_counter_copy_calls(void) { return copy_calls; }

#ifndef ALLOCATION_COUNTER_H
#define ALLOCATION_COUNTER_H

#include <stdint.h>

/// Whether this platform counts (glibc: the counter interposes `malloc`, `calloc`, `realloc`,
/// `memcpy` and `memmove` in the test process and forwards to glibc's own).
int allocation_counter_is_available(void);

/// Starts counting, on the calling thread only, allocations and copies of at least `minimum_bytes`.
void allocation_counter_start(uint64_t minimum_bytes);

/// Stops counting on the calling thread.
void allocation_counter_stop(void);

/// Bytes requested by the counted allocations on the calling thread since the last start.
uint64_t allocation_counter_bytes(void);

/// Number of counted allocations on the calling thread since the last start.
uint64_t allocation_counter_blocks(void);

/// Bytes moved by counted `memcpy`/`memmove` calls (of at least `minimum_bytes`) on the calling
/// thread since the last start.
uint64_t allocation_counter_copied_bytes(void);

/// Number of counted `memcpy`/`memmove` calls on the calling thread since the last start.
uint64_t allocation_counter_copy_calls(void);

#endif

#include "malloc_tuning.h"

// <malloc.h> is what defines __GLIBC__ (through <features.h>), so it is included first and the
// option tested after: testing __GLIBC__ before any libc header silently compiled this to nothing.
#if defined(__has_include)
#if __has_include(<malloc.h>)
#include <malloc.h>
#endif
#endif

int medk_limit_malloc_arenas(int arenas) {
#if defined(__GLIBC__) && defined(M_ARENA_MAX)
    return mallopt(M_ARENA_MAX, arenas);
#else
    (void)arenas;
    return 0;
#endif
}

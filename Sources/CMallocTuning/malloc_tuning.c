#include "malloc_tuning.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

int medk_limit_malloc_arenas(int arenas) {
#if defined(__GLIBC__)
    return mallopt(M_ARENA_MAX, arenas);
#else
    (void)arenas;
    return 0;
#endif
}

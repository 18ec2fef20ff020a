#ifndef MEDK_MALLOC_TUNING_H
#define MEDK_MALLOC_TUNING_H

/// Limits glibc's malloc to `arenas` arenas (M_ARENA_MAX); does nothing on other C libraries.
/// Returns 1 when glibc took the setting, 0 when nothing was done.
/// Swift's Glibc module does not export <malloc.h>, hence this shim.
int medk_limit_malloc_arenas(int arenas);

#endif

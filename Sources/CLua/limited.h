#ifndef RALLY_CLUA_LIMITED_H
#define RALLY_CLUA_LIMITED_H
/*
 * Part of shim.h: a Lua state whose allocator fails past a byte limit, so tests can drive the
 * binding layer out of memory at every step. Not for production states (no thread safety, and
 * the limit counts Lua's allocations only).
 */
#include <stdio.h>
#include <stdlib.h>

/* The allocator's book: bytes in use and the most it may hand out (growing past it fails,
   shrinking never does, as Lua requires). */
typedef struct rally_memory_limit { size_t used; size_t limit; } rally_memory_limit;

static void *rally_limited_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    rally_memory_limit *m = (rally_memory_limit *)ud;
    size_t old = ptr ? osize : 0;
    void *p;
    if (nsize == 0) { free(ptr); m->used -= old; return NULL; }
    if (nsize > old && m->used - old + nsize > m->limit) return NULL;
    p = realloc(ptr, nsize);
    if (p == NULL) return NULL;
    m->used = m->used - old + nsize;
    return p;
}

static int rally_limited_panic(lua_State *L) {
    const char *msg = lua_tostring(L, -1);
    fprintf(stderr, "PANIC: unprotected error in call to Lua API (%s)\n", msg ? msg : "?");
    return 0; /* Lua aborts */
}

/* A new state whose allocations are counted in *m and fail past m->limit. */
static inline lua_State *rally_newstate_limited(rally_memory_limit *m) {
    lua_State *L = lua_newstate(rally_limited_alloc, m);
    if (L) lua_atpanic(L, rally_limited_panic);
    return L;
}

#endif

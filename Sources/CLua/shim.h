#ifndef RALLY_CLUA_SHIM_H
#define RALLY_CLUA_SHIM_H
/*
 * Lua 5.4 for Swift, plus the few C functions that must be C.
 *
 * THE RULE: no Lua error may longjmp across a Swift frame. A Lua API function that can raise
 * (anything that allocates: pushing a string, creating a table or userdata or closure, a raw
 * set that may grow a table, luaL_newmetatable, lua_setglobal, luaL_openlibs, luaL_loadfilex's
 * "@name", ...) is never called from Swift directly: Swift calls one of the rally_p_* functions
 * below, which runs the allocating step inside lua_pcall of a small C function and returns the
 * status. What Swift may call directly: pushes of nil, numbers, booleans, light userdata and
 * light C functions, lua_pushvalue/settop/rotate, type checks and reads, lua_rawget/rawgeti/
 * rawgetp, lua_next, lua_getmetatable/setmetatable, lua_pcall itself, lua_load (protected
 * inside) and the hooks. lua.c gets the same guarantee by running everything under `pmain`.
 *
 *  - rally_trampoline: every Swift-backed Lua function is this C function with one upvalue
 *    (a box userdata). It calls into Swift (rally_swift_dispatch), which never raises a Lua
 *    error itself: it returns the number of results, or -1 with a message on the stack (the
 *    position is prepended), or -2 with an error object to raise as it is (an error recorded
 *    while the Swift body ran, e.g. "not enough memory"). Only after the Swift frame has
 *    returned does the trampoline call lua_error, so a longjmp never crosses a Swift frame.
 *  - rally_p_*: the protected allocating steps (see the rule). Each returns LUA_OK, or an
 *    error status with the error object on top of the stack in place of what it would have
 *    pushed (and having consumed what it would have consumed).
 *  - rally_msghandler: lua.c's message handler (message + traceback).
 *  - rally_interrupt: lua.c's SIGINT trick (a hook that raises "interrupted!").
 *  - rally_newstate_limited: a state whose allocator fails past a byte limit (for tests).
 *  - wrappers for the Lua API macros, which Swift cannot import.
 */
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <limits.h>
#include <stdio.h>

/* Implemented in Swift (@_cdecl). Returns the number of results, -1 with an error message on
   top of the stack, or -2 with an error object to raise unchanged. Never raises a Lua error. */
extern int rally_swift_dispatch(lua_State *L, void *box);
/* Implemented in Swift (@_cdecl): pops the error object on top and records it as the state's
   pending error (kept until the dispatcher raises it or Swift takes it). Never raises. */
extern void rally_swift_record(lua_State *L);
/* Implemented in Swift (@_cdecl): releases the Swift object held by a box. */
extern void rally_swift_release(void *box);

#define RALLY_BOX_META "rally.box"

/* How many Swift function calls are running on this thread. A longjmp that skipped a Swift
   frame would skip the decrement too, so tests check that this is back to 0. Weak: every
   object file that includes this header defines it, and the linker keeps one (a static would
   give each object file its own copy of it). */
__attribute__((weak)) _Thread_local int rally_swift_depth_counter = 0;
static inline int *rally_swift_depth(void) { return &rally_swift_depth_counter; }

/* The fill fast path (rally_rawseti_fast): the table the last protected rally_p_newtable made
   on this thread and the size of its array part, forgotten as soon as anything may have run
   or allocated since (a protected step, a call, a load, a collection). Weak, as above. */
__attribute__((weak)) _Thread_local const void *rally_fill_table = NULL;
__attribute__((weak)) _Thread_local lua_Integer rally_fill_size = 0;
static inline void rally_fill_forget(void) { rally_fill_table = NULL; }

/* Pops a value into t[i] with a plain lua_rawseti when t is that table and i is in its array
   part: nothing can have shrunk the array (only an insertion that rehashes can, and every
   other step forgets the table) or collected the table, so the set cannot allocate. Returns
   0, doing nothing, otherwise (the caller then takes the protected step). */
static inline int rally_rawseti_fast(lua_State *L, int t, lua_Integer i) {
    if (rally_fill_table == NULL || i < 1 || i > rally_fill_size || lua_topointer(L, t) != rally_fill_table) return 0;
    lua_rawseti(L, t, i);
    return 1;
}

static inline int rally_trampoline(lua_State *L) {
    void **slot = (void **)lua_touserdata(L, lua_upvalueindex(1));
    int *depth = rally_swift_depth();
    int n;
    ++*depth;
    rally_fill_forget();
    n = rally_swift_dispatch(L, slot ? *slot : NULL);
    rally_fill_forget();
    --*depth;
    if (n == -2) return lua_error(L); /* a recorded error object, raised as it is */
    if (n < 0) {
        if (lua_type(L, -1) == LUA_TSTRING) {
            luaL_where(L, 1);
            lua_insert(L, -2);
            lua_concat(L, 2);
        }
        return lua_error(L); /* the Swift frame is gone: safe to longjmp */
    }
    return n;
}

static inline int rally_box_gc(lua_State *L) {
    void **slot = (void **)lua_touserdata(L, 1);
    if (slot && *slot) { rally_swift_release(*slot); *slot = NULL; }
    return 0;
}

/* A class's __index when it has a fallback lookup: methods (upvalue 1, a table, raw get) first,
   then the fallback function (upvalue 2) called as fallback(obj, key). Method lookups stay in C. */
static inline int rally_index(lua_State *L) {
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL) return 1;
    lua_pop(L, 1);
    lua_pushvalue(L, lua_upvalueindex(2));
    lua_pushvalue(L, 1);
    lua_pushvalue(L, 2);
    lua_call(L, 2, 1);
    return 1;
}

static inline int rally_msghandler(lua_State *L) {
    const char *msg = lua_tostring(L, 1);
    if (msg == NULL) {
        if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
            return 1;
        msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    luaL_traceback(L, L, msg, 1);
    return 1;
}

static inline void rally_lstop(lua_State *L, lua_Debug *ar) {
    (void)ar;
    lua_sethook(L, NULL, 0, 0);
    luaL_error(L, "interrupted!");
}

/* Called from a SIGINT handler, as lua.c does: the next Lua instruction raises "interrupted!". */
static inline void rally_interrupt(lua_State *L) {
    lua_sethook(L, rally_lstop, LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
}

static inline void rally_clear_interrupt(lua_State *L) { lua_sethook(L, NULL, 0, 0); }

#include "protected.h"
#include "limited.h"

/* Macro wrappers (those that may allocate are for C callers or protected steps only). */
static inline int rally_registryindex(void) { return LUA_REGISTRYINDEX; }
static inline int rally_upvalueindex(int i) { return lua_upvalueindex(i); }
static inline void rally_pop(lua_State *L, int n) { lua_pop(L, n); }
/* Allocates: for C callers only (Swift: rally_p_newtable). */
static inline void rally_newtable(lua_State *L) { lua_newtable(L); }
static inline void rally_insert(lua_State *L, int i) { lua_insert(L, i); }
static inline void rally_remove(lua_State *L, int i) { lua_remove(L, i); }
static inline void rally_replace(lua_State *L, int i) { lua_replace(L, i); }
/* Converts a number in place (allocates): for C callers only; Swift reads strings with lua_tolstring on strings. */
static inline const char *rally_tostring(lua_State *L, int i) { return lua_tolstring(L, i, NULL); }
static inline int rally_pcall(lua_State *L, int nargs, int nresults, int msgh) {
    rally_fill_forget();
    return lua_pcall(L, nargs, nresults, msgh);
}
static inline int rally_loadbuffer(lua_State *L, const char *buf, size_t size, const char *name) {
    rally_fill_forget();
    return luaL_loadbuffer(L, buf, size, name);
}
static inline void rally_pushcfunction(lua_State *L, lua_CFunction f) { lua_pushcfunction(L, f); }
/* Allocates: for C callers only (Swift: rally_p_newobject). */
static inline void *rally_newuserdata(lua_State *L, size_t size) { return lua_newuserdatauv(L, size, 1); }
static inline int rally_isinteger(lua_State *L, int i) { return lua_isinteger(L, i); }
static inline lua_Number rally_tonumber(lua_State *L, int i, int *isnum) { return lua_tonumberx(L, i, isnum); }
static inline lua_Integer rally_tointeger(lua_State *L, int i, int *isnum) { return lua_tointegerx(L, i, isnum); }
static inline int rally_gc_count_kb(lua_State *L) { return lua_gc(L, LUA_GCCOUNT, 0); }
static inline void rally_gc_collect(lua_State *L) { rally_fill_forget(); lua_gc(L, LUA_GCCOLLECT, 0); }
static inline void rally_gc_step(lua_State *L, int kb) { rally_fill_forget(); lua_gc(L, LUA_GCSTEP, kb); }
static inline const char *rally_lua_version(void) { return LUA_RELEASE; }

#endif

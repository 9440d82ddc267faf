#ifndef RALLY_CLUA_PROTECTED_H
#define RALLY_CLUA_PROTECTED_H
/*
 * Part of shim.h (included from it, after the trampoline): the protected allocating steps
 * that Swift calls instead of the Lua API functions that may raise (see THE RULE in shim.h).
 * Not a general Lua wrapper: only the steps the binding layer and the shell need.
 */
/* ---- The protected allocating steps (THE RULE, above) ----
 *
 * Each rally_p_* function below pushes a light C function (no allocation), its arguments
 * (light userdata, integers, copies of stack values: no allocation) and runs it with
 * lua_pcall, which never raises. On failure the error object (for a memory error, Lua's own
 * preallocated "not enough memory") is left on top in place of the result. If the stack
 * cannot even grow for the call, the memory error message is pushed instead: it is a fixed
 * string that Lua interned when the state was created, so pushing it allocates nothing.
 *
 * Not a table: a raw step on a value that is not a table (the nil an earlier failed step left)
 * does nothing (a get pushes nil), where lua_rawset & co would read it as a table. */

#define RALLY_P_ROOM 8

/* lua_pcall without a message handler, with any hook set aside: a step is not a Lua call, so a
   debug hook does not see it and a pending Ctrl-C ("interrupted!" hook) fires at the next Lua
   call, as before, not inside a push. A hook set meanwhile (by the SIGINT handler) is kept. */
static inline int rally_p_pcall(lua_State *L, int nargs, int nresults, int msgh) {
    lua_Hook hook = lua_gethook(L);
    int mask, count, status;
    rally_fill_forget();
    if (hook == NULL) return lua_pcall(L, nargs, nresults, msgh);
    mask = lua_gethookmask(L);
    count = lua_gethookcount(L);
    lua_sethook(L, NULL, 0, 0);
    status = lua_pcall(L, nargs, nresults, msgh);
    if (lua_gethook(L) == NULL) lua_sethook(L, hook, mask, count);
    return status;
}

/* A byte string handed to a protected step. */
typedef struct rally_p_bytes { const char *s; size_t len; } rally_p_bytes;

static inline int rally_p_nostack(lua_State *L, int consumed) {
    lua_pop(L, consumed);
    lua_pushstring(L, "not enough memory"); /* interned at state creation: no allocation */
    return LUA_ERRMEM;
}

/* Replaces the `consumed` values under the error object on top with it. */
static inline int rally_p_failed(lua_State *L, int status, int consumed) {
    if (consumed > 0) {
        lua_rotate(L, -(consumed + 1), 1);
        lua_pop(L, consumed);
    }
    return status;
}

static int rally_p_pushstring_f(lua_State *L) {
    const rally_p_bytes *b = (const rally_p_bytes *)lua_touserdata(L, 1);
    lua_pushlstring(L, b->s, b->len);
    return 1;
}
/* Pushes the string s[0..len). */
static inline int rally_p_pushstring(lua_State *L, const char *s, size_t len) {
    rally_p_bytes b = { s, len };
    if (!lua_checkstack(L, RALLY_P_ROOM)) return rally_p_nostack(L, 0);
    lua_pushcfunction(L, rally_p_pushstring_f);
    lua_pushlightuserdata(L, &b);
    return rally_p_pcall(L, 1, 1, 0);
}

static int rally_p_newtable_f(lua_State *L) {
    lua_createtable(L, (int)lua_tointeger(L, 1), (int)lua_tointeger(L, 2));
    return 1;
}
/* Pushes a new table with room for narr sequence and nrec other entries. */
static inline int rally_p_newtable(lua_State *L, int narr, int nrec) {
    int st;
    if (narr < 0) narr = 0;
    if (nrec < 0) nrec = 0;
    if (!lua_checkstack(L, RALLY_P_ROOM)) return rally_p_nostack(L, 0);
    lua_pushcfunction(L, rally_p_newtable_f);
    lua_pushinteger(L, narr);
    lua_pushinteger(L, nrec);
    if ((st = rally_p_pcall(L, 2, 1, 0)) != LUA_OK) return st;
    rally_fill_table = lua_topointer(L, -1); /* see rally_rawseti_fast */
    rally_fill_size = narr;
    return LUA_OK;
}

/* Runs f(ud, t, value) where value is popped from the top; f returns nothing. */
static inline int rally_p_store(lua_State *L, lua_CFunction f, void *ud, int t) {
    int st;
    t = lua_absindex(L, t);
    if (!lua_checkstack(L, RALLY_P_ROOM)) return rally_p_nostack(L, 1);
    lua_pushcfunction(L, f);
    lua_pushlightuserdata(L, ud);
    lua_pushvalue(L, t);
    lua_pushvalue(L, -4);
    st = rally_p_pcall(L, 3, 0, 0);
    if (st == LUA_OK) { lua_pop(L, 1); return LUA_OK; }
    return rally_p_failed(L, st, 1);
}

static int rally_p_rawsetfield_f(lua_State *L) {
    const rally_p_bytes *b = (const rally_p_bytes *)lua_touserdata(L, 1);
    lua_pushlstring(L, b->s, b->len);
    lua_pushvalue(L, 3);
    lua_rawset(L, 2);
    return 0;
}
/* Pops a value and stores it as t[key] (raw). */
static inline int rally_p_rawsetfield(lua_State *L, int t, const char *key, size_t len) {
    rally_p_bytes b = { key, len };
    if (!lua_istable(L, t)) { lua_pop(L, 1); return LUA_OK; } /* see "not a table" above */
    return rally_p_store(L, rally_p_rawsetfield_f, &b, t);
}

static int rally_p_rawseti_f(lua_State *L) {
    lua_pushvalue(L, 3);
    lua_rawseti(L, 2, *(const lua_Integer *)lua_touserdata(L, 1));
    return 0;
}
/* Pops a value and stores it as t[i] (raw). */
static inline int rally_p_rawseti(lua_State *L, int t, lua_Integer i) {
    if (!lua_istable(L, t)) { lua_pop(L, 1); return LUA_OK; }
    return rally_p_store(L, rally_p_rawseti_f, &i, t);
}

static int rally_p_setfield_f(lua_State *L) {
    const rally_p_bytes *b = (const rally_p_bytes *)lua_touserdata(L, 1);
    lua_pushlstring(L, b->s, b->len);
    lua_pushvalue(L, 3);
    lua_settable(L, 2);
    return 0;
}
/* Pops a value and does t[key] = value (metamethods may run and raise: their error is returned). */
static inline int rally_p_setfield(lua_State *L, int t, const char *key, size_t len) {
    rally_p_bytes b = { key, len };
    return rally_p_store(L, rally_p_setfield_f, &b, t);
}

static int rally_p_rawset_f(lua_State *L) {
    lua_pushvalue(L, 2);
    lua_pushvalue(L, 3);
    lua_rawset(L, 1);
    return 0;
}
/* Pops a key and a value (the value on top) and stores t[key] = value (raw). */
static inline int rally_p_rawset(lua_State *L, int t) {
    int st;
    t = lua_absindex(L, t);
    if (!lua_istable(L, t)) { lua_pop(L, 2); return LUA_OK; }
    if (!lua_checkstack(L, RALLY_P_ROOM)) return rally_p_nostack(L, 2);
    lua_pushcfunction(L, rally_p_rawset_f);
    lua_pushvalue(L, t);
    lua_pushvalue(L, -4);
    lua_pushvalue(L, -4);
    st = rally_p_pcall(L, 3, 0, 0);
    if (st == LUA_OK) { lua_pop(L, 2); return LUA_OK; }
    return rally_p_failed(L, st, 2);
}

static int rally_p_getfield_f(lua_State *L) {
    const rally_p_bytes *b = (const rally_p_bytes *)lua_touserdata(L, 1);
    int raw = (int)lua_tointeger(L, 3);
    lua_pushlstring(L, b->s, b->len);
    if (raw) lua_rawget(L, 2); else lua_gettable(L, 2);
    return 1;
}
/* Pushes t[key], raw or through metamethods (which may raise: their error is returned). */
static inline int rally_p_getfield(lua_State *L, int t, const char *key, size_t len, int raw) {
    rally_p_bytes b = { key, len };
    t = lua_absindex(L, t);
    if (raw && !lua_istable(L, t)) {
        if (!lua_checkstack(L, 1)) return rally_p_nostack(L, 0);
        lua_pushnil(L);
        return LUA_OK;
    }
    if (!lua_checkstack(L, RALLY_P_ROOM)) return rally_p_nostack(L, 0);
    lua_pushcfunction(L, rally_p_getfield_f);
    lua_pushlightuserdata(L, &b);
    lua_pushvalue(L, t);
    lua_pushinteger(L, raw);
    return rally_p_pcall(L, 3, 1, 0);
}

/* A Swift box for rally_p_function: `taken` is set once a userdata owns the box (its __gc
   releases it); until then, the caller still owns it. */
typedef struct rally_p_box { void *box; int taken; } rally_p_box;

static int rally_p_function_f(lua_State *L) {
    rally_p_box *b = (rally_p_box *)lua_touserdata(L, 1);
    void **slot = (void **)lua_newuserdatauv(L, sizeof(void *), 0);
    *slot = NULL;
    luaL_newmetatable(L, RALLY_BOX_META); /* new or existing: an earlier attempt may have failed */
    if (lua_getfield(L, -1, "__gc") != LUA_TFUNCTION) {
        lua_pushcfunction(L, rally_box_gc);
        lua_setfield(L, -3, "__gc");
    }
    lua_pop(L, 1);
    lua_setmetatable(L, -2);
    *slot = b->box;
    b->taken = 1;
    lua_pushcclosure(L, rally_trampoline, 1);
    return 1;
}
/* Pushes a C closure that calls the Swift box b->box (already retained). */
static inline int rally_p_function(lua_State *L, rally_p_box *b) {
    if (!lua_checkstack(L, RALLY_P_ROOM)) return rally_p_nostack(L, 0);
    lua_pushcfunction(L, rally_p_function_f);
    lua_pushlightuserdata(L, b);
    return rally_p_pcall(L, 1, 1, 0);
}

static int rally_p_index_f(lua_State *L) {
    lua_pushcclosure(L, rally_index, 2);
    return 1;
}
/* Pops the methods table and the fallback function, pushes the __index closure (rally_index). */
static inline int rally_p_index(lua_State *L) {
    int st;
    if (!lua_checkstack(L, RALLY_P_ROOM)) return rally_p_nostack(L, 2);
    lua_pushcfunction(L, rally_p_index_f);
    lua_pushvalue(L, -3);
    lua_pushvalue(L, -3);
    st = rally_p_pcall(L, 2, 1, 0);
    return rally_p_failed(L, st, 2); /* the closure or the error replaces the two */
}

/* A named metatable or userdata for rally_p_newmetatable / rally_p_newobject / rally_p_testudata. */
typedef struct rally_p_named { const char *name; size_t size; void *block; int created; } rally_p_named;

static int rally_p_newmetatable_f(lua_State *L) {
    rally_p_named *n = (rally_p_named *)lua_touserdata(L, 1);
    n->created = luaL_newmetatable(L, n->name);
    return 1;
}
/* luaL_newmetatable(n->name): pushes the metatable; n->created tells whether it is new. */
static inline int rally_p_newmetatable(lua_State *L, rally_p_named *n) {
    if (!lua_checkstack(L, RALLY_P_ROOM)) return rally_p_nostack(L, 0);
    lua_pushcfunction(L, rally_p_newmetatable_f);
    lua_pushlightuserdata(L, n);
    return rally_p_pcall(L, 1, 1, 0);
}

static int rally_p_newobject_f(lua_State *L) {
    rally_p_named *n = (rally_p_named *)lua_touserdata(L, 1);
    void *block = lua_newuserdatauv(L, n->size, 1);
    memset(block, 0, n->size);
    luaL_getmetatable(L, n->name);
    lua_setmetatable(L, -2);
    n->block = block;
    return 1;
}
/* Pushes a zeroed userdata of n->size bytes (one user value) with the metatable n->name;
   n->block is its memory. */
static inline int rally_p_newobject(lua_State *L, rally_p_named *n) {
    if (!lua_checkstack(L, RALLY_P_ROOM)) return rally_p_nostack(L, 0);
    lua_pushcfunction(L, rally_p_newobject_f);
    lua_pushlightuserdata(L, n);
    return rally_p_pcall(L, 1, 1, 0);
}

static int rally_p_testudata_f(lua_State *L) {
    rally_p_named *n = (rally_p_named *)lua_touserdata(L, 1);
    n->block = luaL_testudata(L, 2, n->name);
    return 0;
}
/* n->block = luaL_testudata(L, i, n->name); pushes nothing on success. */
static inline int rally_p_testudata(lua_State *L, int i, rally_p_named *n) {
    i = lua_absindex(L, i);
    n->block = NULL;
    if (!lua_checkstack(L, RALLY_P_ROOM)) return rally_p_nostack(L, 0);
    lua_pushcfunction(L, rally_p_testudata_f);
    lua_pushlightuserdata(L, n);
    lua_pushvalue(L, i);
    return rally_p_pcall(L, 2, 0, 0);
}

/* Numbers for rally_p_numbers: nan_as_nil leaves NaN positions empty; count_key, when not NULL,
   is a field set to n. */
typedef struct rally_p_numbers_t {
    const double *values; size_t n; int nan_as_nil; const char *count_key;
} rally_p_numbers_t;

static int rally_p_numbers_f(lua_State *L) {
    const rally_p_numbers_t *a = (const rally_p_numbers_t *)lua_touserdata(L, 1);
    size_t i;
    lua_createtable(L, a->n > INT_MAX ? INT_MAX : (int)a->n, a->count_key ? 1 : 0);
    for (i = 0; i < a->n; i++) {
        if (a->nan_as_nil && isnan(a->values[i])) continue;
        lua_pushnumber(L, a->values[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    if (a->count_key) {
        lua_pushinteger(L, (lua_Integer)a->n);
        lua_setfield(L, -2, a->count_key); /* a fresh table: no metamethods */
    }
    return 1;
}
/* Pushes a sequence of numbers, filled in one protected call. */
static inline int rally_p_numbers(lua_State *L, const rally_p_numbers_t *a) {
    if (!lua_checkstack(L, RALLY_P_ROOM)) return rally_p_nostack(L, 0);
    lua_pushcfunction(L, rally_p_numbers_f);
    lua_pushlightuserdata(L, (void *)a);
    return rally_p_pcall(L, 1, 1, 0);
}

/* Strings for rally_p_strings: n strings laid end to end in bytes, their lengths in lens. */
typedef struct rally_p_strings_t { const char *bytes; const size_t *lens; size_t n; } rally_p_strings_t;

static int rally_p_strings_f(lua_State *L) {
    const rally_p_strings_t *a = (const rally_p_strings_t *)lua_touserdata(L, 1);
    const char *p = a->bytes;
    size_t i;
    lua_createtable(L, a->n > INT_MAX ? INT_MAX : (int)a->n, 0);
    for (i = 0; i < a->n; i++) {
        lua_pushlstring(L, p, a->lens[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
        p += a->lens[i];
    }
    return 1;
}
/* Pushes a sequence of strings, filled in one protected call. */
static inline int rally_p_strings(lua_State *L, const rally_p_strings_t *a) {
    if (!lua_checkstack(L, RALLY_P_ROOM)) return rally_p_nostack(L, 0);
    lua_pushcfunction(L, rally_p_strings_f);
    lua_pushlightuserdata(L, (void *)a);
    return rally_p_pcall(L, 1, 1, 0);
}

static int rally_p_ref_f(lua_State *L) {
    *(int *)lua_touserdata(L, 1) = luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
}
/* Pops the top value into the registry: *ref = luaL_ref(registry) (luaL_unref allocates nothing). */
static inline int rally_p_ref(lua_State *L, int *ref) {
    int st;
    *ref = LUA_NOREF;
    if (!lua_checkstack(L, RALLY_P_ROOM)) return rally_p_nostack(L, 1);
    lua_pushcfunction(L, rally_p_ref_f);
    lua_pushlightuserdata(L, ref);
    lua_pushvalue(L, -3);
    st = rally_p_pcall(L, 2, 0, 0);
    if (st == LUA_OK) { lua_pop(L, 1); return LUA_OK; }
    return rally_p_failed(L, st, 1);
}

static int rally_p_openlibs_f(lua_State *L) { luaL_openlibs(L); return 0; }
/* luaL_openlibs. */
static inline int rally_p_openlibs(lua_State *L) {
    if (!lua_checkstack(L, RALLY_P_ROOM)) return rally_p_nostack(L, 0);
    lua_pushcfunction(L, rally_p_openlibs_f);
    return rally_p_pcall(L, 0, 0, 0);
}

/* A file to load with rally_p_loadfile (NULL: standard input) and luaL_loadfilex's status. */
typedef struct rally_p_file { const char *path; int status; } rally_p_file;

static int rally_p_loadfile_f(lua_State *L) {
    rally_p_file *f = (rally_p_file *)lua_touserdata(L, 1);
    f->status = luaL_loadfilex(L, f->path, NULL);
    return 1;
}
/* luaL_loadfilex: pushes the chunk, or the error message; returns the status of either. */
static inline int rally_p_loadfile(lua_State *L, const char *path) {
    rally_p_file f = { path, LUA_OK };
    int st;
    if (!lua_checkstack(L, RALLY_P_ROOM)) return rally_p_nostack(L, 0);
    lua_pushcfunction(L, rally_p_loadfile_f);
    lua_pushlightuserdata(L, &f);
    st = rally_p_pcall(L, 1, 1, 0);
    return st != LUA_OK ? st : f.status;
}

static int rally_p_getmetatable_f(lua_State *L) {
    luaL_getmetatable(L, (const char *)lua_touserdata(L, 1));
    return 1;
}
/* luaL_getmetatable(name), protected: a failure is recorded as the pending error
   (rally_swift_record) and nil pushed. Returns the type pushed. */
static inline int rally_getmetatable_named(lua_State *L, const char *name) {
    if (!lua_checkstack(L, RALLY_P_ROOM)) rally_p_nostack(L, 0);
    else {
        lua_pushcfunction(L, rally_p_getmetatable_f);
        lua_pushlightuserdata(L, (void *)name);
        if (rally_p_pcall(L, 1, 1, 0) == LUA_OK) return lua_type(L, -1);
    }
    rally_swift_record(L);
    lua_pushnil(L);
    return LUA_TNIL;
}

#endif

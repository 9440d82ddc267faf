// XGBoost, loaded the first time rally uses it.
//
// Linked at start-up, libxgboost.so.0 brings libstdc++, libgomp and libdmlc into every rally
// process, including the many that never touch a gbdt model, and libgomp reads its settings
// (GOMP_SPINCOUNT, OMP_WAIT_POLICY) in its constructor, before rally's own code could set
// them. So rally calls XGBoost only through the wrappers below: the first call of any of them
// opens the library with dlopen and resolves every function rally uses with dlsym, once for the
// process (pthread_once). By then rally-shell and `require "rally"` have set the spin count
// (Sources/CStartup/startup.c).
//
// When the library or one of its functions is missing, every wrapper returns -1, which is what
// XGBoost's functions return when they fail, and rally_xgb_GetLastError returns the loader's
// message, so the Swift side reports it as it reports any XGBoost error. The library is never
// closed: its functions stay in use until the process ends.
#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

#include "CXGBoost.h"

#define RALLY_XGB_LIBRARY "libxgboost.so.0"

// Every XGBoost function rally calls (one wrapper each below).
#define RALLY_XGB_FUNCTIONS(F)                                                                      \
    F(XGBoostVersion) F(XGBGetLastError)                                                            \
    F(XGDMatrixCreateFromMat_omp) F(XGDMatrixSetFloatInfo) F(XGDMatrixSetStrFeatureInfo)            \
    F(XGDMatrixFree) F(XGBoosterCreate) F(XGBoosterFree) F(XGBoosterLoadModelFromBuffer)            \
    F(XGBoosterSaveModelToBuffer) F(XGBoosterSetParam) F(XGBoosterUpdateOneIter)                    \
    F(XGBoosterEvalOneIter) F(XGBoosterSlice) F(XGBoosterBoostedRounds)                             \
    F(XGBoosterPredictFromDMatrix) F(XGBoosterFeatureScore) F(XGBoosterSetAttr) F(XGBoosterGetAttr)

/// One loaded library: its handle, a pointer to each function (typed as c_api.h declares it),
/// and when loading failed, why (`error` is empty when it succeeded).
typedef struct {
    void *library;
#define RALLY_XGB_FIELD(name) __typeof__(name) *name;
    RALLY_XGB_FUNCTIONS(RALLY_XGB_FIELD)
#undef RALLY_XGB_FIELD
    char error[512];
} rally_xgb_api;

// Records that `what` could not be loaded, with dlerror()'s explanation.
static void rally_xgb_fail(rally_xgb_api *api, const char *what) {
    const char *reason = dlerror();
    snprintf(api->error, sizeof api->error, "cannot load %s: %s", what, reason ? reason : "no reason given");
}

// Opens `library`; false, with the reason recorded, when it cannot be opened.
static bool rally_xgb_open(rally_xgb_api *api, const char *library) {
    api->library = dlopen(library, RTLD_NOW | RTLD_LOCAL);
    if (api->library == NULL) rally_xgb_fail(api, library);
    return api->library != NULL;
}

// The address of function `name` in the open library; NULL, with the reason recorded, when the
// library has no such function.
static void *rally_xgb_symbol(rally_xgb_api *api, const char *library, const char *name) {
    dlerror(); // clear an earlier message, so a failure below reports its own
    void *symbol = dlsym(api->library, name);
    if (symbol == NULL) {
        char what[256];
        snprintf(what, sizeof what, "function %s from %s", name, library);
        rally_xgb_fail(api, what);
    }
    return symbol;
}

// Resolves every function rally calls; false at the first one the library lacks.
static bool rally_xgb_resolve(rally_xgb_api *api, const char *library) {
#define RALLY_XGB_RESOLVE(name) \
    if ((api->name = (__typeof__(api->name))rally_xgb_symbol(api, library, #name)) == NULL) return false;
    RALLY_XGB_FUNCTIONS(RALLY_XGB_RESOLVE)
#undef RALLY_XGB_RESOLVE
    return true;
}

// Loads `library` into `api`: opened and resolved, or `api->error` set.
static void rally_xgb_load(rally_xgb_api *api, const char *library) {
    if (rally_xgb_open(api, library)) rally_xgb_resolve(api, library);
}

static rally_xgb_api rally_xgb;
static pthread_once_t rally_xgb_once = PTHREAD_ONCE_INIT;

static void rally_xgb_load_once(void) {
    rally_xgb_load(&rally_xgb, RALLY_XGB_LIBRARY);
}

// The process's XGBoost, loaded at the first call; NULL when it could not be loaded.
static const rally_xgb_api *rally_xgb_loaded(void) {
    pthread_once(&rally_xgb_once, rally_xgb_load_once);
    return rally_xgb.error[0] == '\0' ? &rally_xgb : NULL;
}

int rally_xgb_test_load(const char *library, char *error, size_t size) {
    rally_xgb_api api = {0};
    rally_xgb_load(&api, library);
    if (api.library != NULL) dlclose(api.library);
    if (size > 0) snprintf(error, size, "%s", api.error);
    return api.error[0] == '\0' ? 0 : -1;
}

// The wrappers: XGBoost's function when it is loaded, else -1.

int rally_xgb_Version(int *major, int *minor, int *patch) {
    const rally_xgb_api *api = rally_xgb_loaded();
    if (api == NULL) {
        *major = *minor = *patch = 0;
        return -1;
    }
    api->XGBoostVersion(major, minor, patch);
    return 0;
}

const char *rally_xgb_GetLastError(void) {
    const rally_xgb_api *api = rally_xgb_loaded();
    return api ? api->XGBGetLastError() : rally_xgb.error;
}

int rally_xgb_DMatrixCreateFromMat_omp(const float *data, bst_ulong nrow, bst_ulong ncol, float missing,
                                       DMatrixHandle *out, int nthread) {
    const rally_xgb_api *api = rally_xgb_loaded();
    return api ? api->XGDMatrixCreateFromMat_omp(data, nrow, ncol, missing, out, nthread) : -1;
}

int rally_xgb_DMatrixSetFloatInfo(DMatrixHandle handle, const char *field, const float *array, bst_ulong len) {
    const rally_xgb_api *api = rally_xgb_loaded();
    return api ? api->XGDMatrixSetFloatInfo(handle, field, array, len) : -1;
}

int rally_xgb_DMatrixSetStrFeatureInfo(DMatrixHandle handle, const char *field, const char **features,
                                       const bst_ulong size) {
    const rally_xgb_api *api = rally_xgb_loaded();
    return api ? api->XGDMatrixSetStrFeatureInfo(handle, field, features, size) : -1;
}

int rally_xgb_DMatrixFree(DMatrixHandle handle) {
    const rally_xgb_api *api = rally_xgb_loaded();
    return api ? api->XGDMatrixFree(handle) : -1;
}

int rally_xgb_BoosterCreate(const DMatrixHandle dmats[], bst_ulong len, BoosterHandle *out) {
    const rally_xgb_api *api = rally_xgb_loaded();
    return api ? api->XGBoosterCreate(dmats, len, out) : -1;
}

int rally_xgb_BoosterFree(BoosterHandle handle) {
    const rally_xgb_api *api = rally_xgb_loaded();
    return api ? api->XGBoosterFree(handle) : -1;
}

int rally_xgb_BoosterLoadModelFromBuffer(BoosterHandle handle, const void *buf, bst_ulong len) {
    const rally_xgb_api *api = rally_xgb_loaded();
    return api ? api->XGBoosterLoadModelFromBuffer(handle, buf, len) : -1;
}

int rally_xgb_BoosterSaveModelToBuffer(BoosterHandle handle, char const *config, bst_ulong *out_len,
                                       char const **out_dptr) {
    const rally_xgb_api *api = rally_xgb_loaded();
    return api ? api->XGBoosterSaveModelToBuffer(handle, config, out_len, out_dptr) : -1;
}

int rally_xgb_BoosterSetParam(BoosterHandle handle, const char *name, const char *value) {
    const rally_xgb_api *api = rally_xgb_loaded();
    return api ? api->XGBoosterSetParam(handle, name, value) : -1;
}

int rally_xgb_BoosterUpdateOneIter(BoosterHandle handle, int iter, DMatrixHandle dtrain) {
    const rally_xgb_api *api = rally_xgb_loaded();
    return api ? api->XGBoosterUpdateOneIter(handle, iter, dtrain) : -1;
}

int rally_xgb_BoosterEvalOneIter(BoosterHandle handle, int iter, DMatrixHandle dmats[], const char *evnames[],
                                 bst_ulong len, const char **out_result) {
    const rally_xgb_api *api = rally_xgb_loaded();
    return api ? api->XGBoosterEvalOneIter(handle, iter, dmats, evnames, len, out_result) : -1;
}

int rally_xgb_BoosterSlice(BoosterHandle handle, int begin_layer, int end_layer, int step, BoosterHandle *out) {
    const rally_xgb_api *api = rally_xgb_loaded();
    return api ? api->XGBoosterSlice(handle, begin_layer, end_layer, step, out) : -1;
}

int rally_xgb_BoosterBoostedRounds(BoosterHandle handle, int *out) {
    const rally_xgb_api *api = rally_xgb_loaded();
    return api ? api->XGBoosterBoostedRounds(handle, out) : -1;
}

int rally_xgb_BoosterPredictFromDMatrix(BoosterHandle handle, DMatrixHandle dmat, char const *config,
                                        bst_ulong const **out_shape, bst_ulong *out_dim, float const **out_result) {
    const rally_xgb_api *api = rally_xgb_loaded();
    return api ? api->XGBoosterPredictFromDMatrix(handle, dmat, config, out_shape, out_dim, out_result) : -1;
}

int rally_xgb_BoosterFeatureScore(BoosterHandle handle, const char *config, bst_ulong *out_n_features,
                                  char const ***out_features, bst_ulong *out_dim, bst_ulong const **out_shape,
                                  float const **out_scores) {
    const rally_xgb_api *api = rally_xgb_loaded();
    return api ? api->XGBoosterFeatureScore(handle, config, out_n_features, out_features, out_dim, out_shape, out_scores)
               : -1;
}

int rally_xgb_BoosterSetAttr(BoosterHandle handle, const char *key, const char *value) {
    const rally_xgb_api *api = rally_xgb_loaded();
    return api ? api->XGBoosterSetAttr(handle, key, value) : -1;
}

int rally_xgb_BoosterGetAttr(BoosterHandle handle, const char *key, const char **out, int *success) {
    const rally_xgb_api *api = rally_xgb_loaded();
    return api ? api->XGBoosterGetAttr(handle, key, out, success) : -1;
}

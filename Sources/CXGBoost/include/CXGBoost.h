#ifndef RALLY_CXGBOOST_H
#define RALLY_CXGBOOST_H

// The XGBoost C API as rally calls it: one wrapper per function, with XGBoost's own signature
// and the `XG` (or `XGB`) of its name replaced by `rally_xgb_`. The first call of any wrapper
// loads libxgboost.so.0 (see xgboost_loader.c); when it cannot be loaded, every wrapper returns
// -1, as XGBoost's functions do when they fail, and rally_xgb_GetLastError says why.
//
// <xgboost/c_api.h> (libxgboost-dev) is included for its types (bst_ulong, DMatrixHandle,
// BoosterHandle) and for the loader's function types; its functions themselves are not linked,
// so calling one directly fails at link time.

#include <stddef.h>
#include <xgboost/c_api.h>

/// XGBoostVersion, which returns nothing: here 0, or -1 (and zeros) when XGBoost is not loaded.
int rally_xgb_Version(int *major, int *minor, int *patch);

/// XGBGetLastError: XGBoost's message for the calling thread's last failure, or what could not
/// be loaded (library or function, with dlerror()'s explanation). Never NULL.
const char *rally_xgb_GetLastError(void);

int rally_xgb_DMatrixCreateFromMat_omp(const float *data, bst_ulong nrow, bst_ulong ncol, float missing,
                                       DMatrixHandle *out, int nthread);
int rally_xgb_DMatrixSetFloatInfo(DMatrixHandle handle, const char *field, const float *array, bst_ulong len);
int rally_xgb_DMatrixSetStrFeatureInfo(DMatrixHandle handle, const char *field, const char **features,
                                       const bst_ulong size);
int rally_xgb_DMatrixFree(DMatrixHandle handle);

int rally_xgb_BoosterCreate(const DMatrixHandle dmats[], bst_ulong len, BoosterHandle *out);
int rally_xgb_BoosterFree(BoosterHandle handle);
int rally_xgb_BoosterLoadModelFromBuffer(BoosterHandle handle, const void *buf, bst_ulong len);
int rally_xgb_BoosterSaveModelToBuffer(BoosterHandle handle, char const *config, bst_ulong *out_len,
                                       char const **out_dptr);
int rally_xgb_BoosterSetParam(BoosterHandle handle, const char *name, const char *value);
int rally_xgb_BoosterUpdateOneIter(BoosterHandle handle, int iter, DMatrixHandle dtrain);
int rally_xgb_BoosterEvalOneIter(BoosterHandle handle, int iter, DMatrixHandle dmats[], const char *evnames[],
                                 bst_ulong len, const char **out_result);
int rally_xgb_BoosterSlice(BoosterHandle handle, int begin_layer, int end_layer, int step, BoosterHandle *out);
int rally_xgb_BoosterBoostedRounds(BoosterHandle handle, int *out);
int rally_xgb_BoosterPredictFromDMatrix(BoosterHandle handle, DMatrixHandle dmat, char const *config,
                                        bst_ulong const **out_shape, bst_ulong *out_dim, float const **out_result);
int rally_xgb_BoosterFeatureScore(BoosterHandle handle, const char *config, bst_ulong *out_n_features,
                                  char const ***out_features, bst_ulong *out_dim, bst_ulong const **out_shape,
                                  float const **out_scores);
int rally_xgb_BoosterSetAttr(BoosterHandle handle, const char *key, const char *value);
int rally_xgb_BoosterGetAttr(BoosterHandle handle, const char *key, const char **out, int *success);

/// For tests of the failure path: loads `library` into a loader state of its own (never the one
/// the wrappers use), as the wrappers load libxgboost.so.0, and closes it again. Returns 0 when
/// it and every function rally uses loaded, else -1 with the wrappers' message in `error`
/// (`size` bytes, terminated).
int rally_xgb_test_load(const char *library, char *error, size_t size);

#endif

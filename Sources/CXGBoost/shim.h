#ifndef RALLY_CXGBOOST_SHIM_H
#define RALLY_CXGBOOST_SHIM_H
#include <xgboost/c_api.h>
#endif

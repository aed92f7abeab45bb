#ifndef DESKPILOT_CBLAS_H
#define DESKPILOT_CBLAS_H

// The few OpenBLAS functions template matching uses, loaded on first use: linking libopenblas would start its
// thread pool in every process (about 4 ms of CPU per start) although only image targets need it.
// BLASLoader.c defines them by looking them up in libopenblas.so.0 when deskpilot_openblas_load() first runs;
// call it before any other.
#include <cblas.h>

/// Loads libopenblas.so.0 and resolves the functions, once per process. Returns NULL when they are all there,
/// else a line saying what is missing.
const char *deskpilot_openblas_load(void);

#endif

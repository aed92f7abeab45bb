// cblas_sgemm, cblas_sdot and openblas_set_num_threads forwarded to libopenblas.so.0, opened at first use
// (see CBLAS.h).
#include "CBLAS.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

static void (*real_sgemm)(enum CBLAS_ORDER, enum CBLAS_TRANSPOSE, enum CBLAS_TRANSPOSE, blasint, blasint, blasint,
                          float, const float *, blasint, const float *, blasint, float, float *, blasint);
static float (*real_sdot)(blasint, const float *, blasint, const float *, blasint);
static void (*real_set_num_threads)(int);
static pthread_once_t once = PTHREAD_ONCE_INIT;
static char failure[512];

static void load(void) {
    void *library = dlopen("libopenblas.so.0", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        snprintf(failure, sizeof failure, "cannot load OpenBLAS: %s", dlerror());
        return;
    }
    real_sgemm = dlsym(library, "cblas_sgemm");
    real_sdot = dlsym(library, "cblas_sdot");
    real_set_num_threads = dlsym(library, "openblas_set_num_threads");
    if (!real_sgemm || !real_sdot || !real_set_num_threads) {
        snprintf(failure, sizeof failure, "libopenblas.so.0 lacks cblas_sgemm, cblas_sdot or openblas_set_num_threads");
    }
}

const char *deskpilot_openblas_load(void) {
    pthread_once(&once, load);
    return failure[0] ? failure : NULL;
}

void openblas_set_num_threads(int num_threads) { real_set_num_threads(num_threads); }

float cblas_sdot(const blasint n, const float *x, const blasint incx, const float *y, const blasint incy) {
    return real_sdot(n, x, incx, y, incy);
}

void cblas_sgemm(const enum CBLAS_ORDER order, const enum CBLAS_TRANSPOSE trans_a, const enum CBLAS_TRANSPOSE trans_b,
                 const blasint m, const blasint n, const blasint k, const float alpha, const float *a,
                 const blasint lda, const float *b, const blasint ldb, const float beta, float *c,
                 const blasint ldc) {
    real_sgemm(order, trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

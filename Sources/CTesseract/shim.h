#include <tesseract/capi.h>
#include <dlfcn.h>

// Tesseract's LSTM runs OpenMP parallel regions with an explicit num_threads clause, which neither
// omp_set_num_threads nor a late setenv("OMP_THREAD_LIMIT") can cap: libgomp reads its environment when the
// library loads, before main. Setting max-active-levels to 0 makes parallel regions inactive (one thread).
// Since GCC 11 that setting belongs to the calling thread's data environment, so it is made on every thread
// that runs Tesseract, right before it does. libgomp is only an indirect dependency, so it is looked up at
// run time. Returns 1 when the setting was applied.
static inline int deskpilot_disable_openmp_parallelism(void) {
    static void (*set_levels)(int) = 0;
    static int looked_up = 0;
    if (!looked_up) {
        set_levels = (void (*)(int))dlsym((void *)0 /* RTLD_DEFAULT */, "omp_set_max_active_levels");
        looked_up = 1;
    }
    if (!set_levels) return 0;
    set_levels(0);
    return 1;
}

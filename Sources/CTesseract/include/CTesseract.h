#ifndef DESKPILOT_CTESSERACT_H
#define DESKPILOT_CTESSERACT_H

// Tesseract's C API, loaded on first use: libtesseract.so.5 and what it brings (Leptonica, libarchive, libcurl,
// the image codecs, OpenMP) cost about 13 ms of CPU when a process starts, and most deskpilot commands never read
// text. TesseractLoader.c defines the functions below by looking them up in the library the first time
// deskpilot_tesseract_load() runs; call it (it is cheap after the first time) before any other.
#include <tesseract/capi.h>
#include <dlfcn.h>

/// Loads libtesseract.so.5 and resolves the functions deskpilot uses, once per process. Returns NULL when they
/// are all there, else a line saying what is missing (the dlopen/dlsym error).
const char *deskpilot_tesseract_load(void);

// Tesseract's LSTM runs OpenMP parallel regions with an explicit num_threads clause, which neither
// omp_set_num_threads nor a late setenv("OMP_THREAD_LIMIT") can cap: libgomp reads its environment when the
// library loads. Setting max-active-levels to 0 makes parallel regions inactive (one thread). Since GCC 11 that
// setting belongs to the calling thread's data environment, so it is made on every thread that runs Tesseract,
// right before it does. libgomp is only an indirect dependency (loaded with Tesseract, globally), so it is
// looked up at run time. Returns 1 when the setting was applied.
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

#endif

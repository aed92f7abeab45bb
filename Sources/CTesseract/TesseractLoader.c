// The Tesseract C API functions deskpilot calls, forwarded to libtesseract.so.5 opened at first use (see
// CTesseract.h). RTLD_GLOBAL so that libgomp, which comes with it, is found by deskpilot_disable_openmp_parallelism.
#include "CTesseract.h"
#include <pthread.h>
#include <stdio.h>

#define TESSERACT_FUNCTIONS(X) \
    X(TessBaseAPI *, TessBaseAPICreate, (void)) \
    X(void, TessBaseAPIDelete, (TessBaseAPI *)) \
    X(BOOL, TessBaseAPISetVariable, (TessBaseAPI *, const char *, const char *)) \
    X(int, TessBaseAPIInit2, (TessBaseAPI *, const char *, const char *, TessOcrEngineMode)) \
    X(void, TessBaseAPIEnd, (TessBaseAPI *)) \
    X(void, TessBaseAPISetPageSegMode, (TessBaseAPI *, TessPageSegMode)) \
    X(void, TessBaseAPISetImage, (TessBaseAPI *, const unsigned char *, int, int, int, int)) \
    X(void, TessBaseAPISetSourceResolution, (TessBaseAPI *, int)) \
    X(void, TessBaseAPIClear, (TessBaseAPI *)) \
    X(int, TessBaseAPIRecognize, (TessBaseAPI *, ETEXT_DESC *)) \
    X(TessResultIterator *, TessBaseAPIGetIterator, (TessBaseAPI *)) \
    X(void, TessResultIteratorDelete, (TessResultIterator *)) \
    X(TessPageIterator *, TessResultIteratorGetPageIterator, (TessResultIterator *)) \
    X(BOOL, TessPageIteratorIsAtBeginningOf, (const TessPageIterator *, TessPageIteratorLevel)) \
    X(void, TessDeleteText, (const char *)) \
    X(BOOL, TessPageIteratorBoundingBox, (const TessPageIterator *, TessPageIteratorLevel, int *, int *, int *, int *)) \
    X(float, TessResultIteratorConfidence, (const TessResultIterator *, TessPageIteratorLevel)) \
    X(BOOL, TessResultIteratorNext, (TessResultIterator *, TessPageIteratorLevel)) \
    X(char *, TessResultIteratorGetUTF8Text, (const TessResultIterator *, TessPageIteratorLevel))

#define DECLARE_POINTER(ret, name, params) static ret (*real_##name) params;
TESSERACT_FUNCTIONS(DECLARE_POINTER)

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char failure[512];

static void load(void) {
    void *library = dlopen("libtesseract.so.5", RTLD_NOW | RTLD_GLOBAL);
    if (!library) {
        snprintf(failure, sizeof failure, "cannot load Tesseract: %s", dlerror());
        return;
    }
#define RESOLVE(ret, name, params) \
    real_##name = (ret (*) params)dlsym(library, #name); \
    if (!real_##name) { snprintf(failure, sizeof failure, "libtesseract.so.5 has no %s", #name); return; }
    TESSERACT_FUNCTIONS(RESOLVE)
}

const char *deskpilot_tesseract_load(void) {
    pthread_once(&once, load);
    return failure[0] ? failure : NULL;
}

// Each function calls through the pointer load() set. Callers load first (OCREngine does), so a pointer is
// only NULL when loading failed and they stopped.
TessBaseAPI *TessBaseAPICreate(void) { return deskpilot_tesseract_load() ? NULL : real_TessBaseAPICreate(); }
void TessBaseAPIDelete(TessBaseAPI *h) { real_TessBaseAPIDelete(h); }
BOOL TessBaseAPISetVariable(TessBaseAPI *h, const char *name, const char *value) {
    return real_TessBaseAPISetVariable(h, name, value);
}
int TessBaseAPIInit2(TessBaseAPI *h, const char *datapath, const char *language, TessOcrEngineMode oem) {
    return real_TessBaseAPIInit2(h, datapath, language, oem);
}
void TessBaseAPIEnd(TessBaseAPI *h) { real_TessBaseAPIEnd(h); }
void TessBaseAPISetPageSegMode(TessBaseAPI *h, TessPageSegMode mode) { real_TessBaseAPISetPageSegMode(h, mode); }
void TessBaseAPISetImage(TessBaseAPI *h, const unsigned char *data, int width, int height, int bytes_per_pixel,
                         int bytes_per_line) {
    real_TessBaseAPISetImage(h, data, width, height, bytes_per_pixel, bytes_per_line);
}
void TessBaseAPISetSourceResolution(TessBaseAPI *h, int ppi) { real_TessBaseAPISetSourceResolution(h, ppi); }
void TessBaseAPIClear(TessBaseAPI *h) { real_TessBaseAPIClear(h); }
int TessBaseAPIRecognize(TessBaseAPI *h, ETEXT_DESC *monitor) { return real_TessBaseAPIRecognize(h, monitor); }
TessResultIterator *TessBaseAPIGetIterator(TessBaseAPI *h) { return real_TessBaseAPIGetIterator(h); }
void TessResultIteratorDelete(TessResultIterator *it) { real_TessResultIteratorDelete(it); }
TessPageIterator *TessResultIteratorGetPageIterator(TessResultIterator *it) {
    return real_TessResultIteratorGetPageIterator(it);
}
BOOL TessPageIteratorIsAtBeginningOf(const TessPageIterator *it, TessPageIteratorLevel level) {
    return real_TessPageIteratorIsAtBeginningOf(it, level);
}
void TessDeleteText(const char *text) { real_TessDeleteText(text); }
BOOL TessPageIteratorBoundingBox(const TessPageIterator *it, TessPageIteratorLevel level, int *left, int *top,
                                 int *right, int *bottom) {
    return real_TessPageIteratorBoundingBox(it, level, left, top, right, bottom);
}
float TessResultIteratorConfidence(const TessResultIterator *it, TessPageIteratorLevel level) {
    return real_TessResultIteratorConfidence(it, level);
}
BOOL TessResultIteratorNext(TessResultIterator *it, TessPageIteratorLevel level) {
    return real_TessResultIteratorNext(it, level);
}
char *TessResultIteratorGetUTF8Text(const TessResultIterator *it, TessPageIteratorLevel level) {
    return real_TessResultIteratorGetUTF8Text(it, level);
}

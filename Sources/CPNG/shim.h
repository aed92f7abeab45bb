#include <png.h>
#include <zlib.h>
// PNG_FORMAT_RGBA is a composite macro Swift cannot import.
static const unsigned int CPNG_FORMAT_RGBA = PNG_FORMAT_RGBA;
static const unsigned int CPNG_FORMAT_RGB = PNG_FORMAT_RGB;
static const unsigned int CPNG_FORMAT_GRAY = PNG_FORMAT_GRAY;
static const unsigned int CPNG_FORMAT_FLAG_ALPHA = PNG_FORMAT_FLAG_ALPHA;

// deskpilot-labels: draws scenes of labelled targets for the grounding tests and benchmarks.
//
// A scene is a few top-level windows ("panels"), each in one colour scheme, holding buttons and plain labels
// drawn with X core fonts of 9-16 px in several faces. The scene and every choice in it follow from
// --scene and --seed, so a test can ask for the same screen again. Once everything is drawn, the ground
// truth (each target's text and box in root-window pixels, plus words guaranteed absent from the screen) is
// written as JSON to --out (through a temporary file and a rename, so a reader never sees half of it).
// The client then keeps the windows drawn until SIGTERM or SIGINT.
//
// Usage: deskpilot-labels --scene N --seed S --out FILE [--geometry WxH+X+Y] [--targets K]
//   scene 0  light form: one panel, buttons and labels in every face
//   scene 1  dark: two panels, IDE-like dark colours
//   scene 2  coloured: four panels in coloured schemes
//   scene 3  text-dense: a panel full of running text with targets inside it, and a button column
//   scene 4  mixed: six small panels in random schemes
//   scene 5  popup: one small panel (used to change one part of a screen)
//   scene 6  small text, light: two light panels, labels in 8-12 px (about 8-11 pt at 75-96 dpi)
//   scene 7  small text, dark: the same in two dark schemes
// --geometry limits the scene to that area of the screen (default: the whole screen).
//
// Core fonts beyond `fixed` live in xfonts-75dpi, xfonts-100dpi and fonts-urw-base35 (Type1); Xvfb's default
// font path has only misc, so this client appends those folders to the server's font path when they exist.
#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <ctype.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_PANELS 8
#define MAX_TARGETS 256
#define MAX_FILLER 4096

typedef struct {
    unsigned long bg, fg, button_bg, button_border;
    const char *name;
} Scheme;

static const Scheme schemes[] = {
    {0xF0F0F0, 0x000000, 0xE1E1E1, 0x7A7A7A, "light"},
    {0xFFFFFF, 0x202020, 0xF3F3F3, 0xB0B0B0, "white"},
    {0x2B2B2B, 0xD8D8D8, 0x3C3F41, 0x5E6060, "dark"},
    {0x1E1E1E, 0xFFFFFF, 0x0E639C, 0x0E639C, "dark-blue"},
    {0x1E66C8, 0xFFFFFF, 0x2F7BE0, 0xDDE8FF, "blue"},
    {0xFFD75E, 0x302000, 0xFFE89A, 0x806010, "yellow"},
    {0x2E7D32, 0xFFFFFF, 0x388E3C, 0xC8E6C9, "green"},
    {0xFFE4E1, 0x8B0000, 0xFFF0EE, 0x8B0000, "pink"},
};
#define NSCHEMES (int)(sizeof(schemes) / sizeof(schemes[0]))

// Faces as XLFD patterns taking the pixel size. Bitmap faces are used only at sizes they were drawn for (the
// server would otherwise scale the bitmaps, which no real desktop shows); outline (Type1) faces at any size.
typedef struct {
    const char *pattern;
    int sizes[8];  // 0-terminated; empty means any size
} Face;

static const Face faces[] = {
    {"-adobe-helvetica-medium-r-normal--%d-*-*-*-p-*-iso8859-1", {10, 11, 12, 14}},
    {"-misc-fixed-medium-r-normal--%d-*-*-*-*-*-iso8859-1", {9, 10, 12, 13, 14, 15}},
    {"-urw-nimbus sans l-regular-r-normal--%d-0-0-0-p-0-iso8859-1", {0}},
    {"-adobe-helvetica-bold-r-normal--%d-*-*-*-p-*-iso8859-1", {10, 11, 12, 14}},
    {"-b&h-lucida-medium-r-normal-sans-%d-*-*-*-p-*-iso8859-1", {10, 11, 12, 14}},
    {"-urw-nimbus roman no9 l-regular-r-normal--%d-0-0-0-p-0-iso8859-1", {0}},
    {"-adobe-times-medium-r-normal--%d-*-*-*-p-*-iso8859-1", {10, 11, 12, 14}},
    {"-adobe-courier-medium-r-normal--%d-*-*-*-m-*-iso8859-1", {10, 11, 12, 14}},
    {"-urw-nimbus sans l-bold-r-normal--%d-0-0-0-p-0-iso8859-1", {0}},
    {"-misc-fixed-bold-r-normal--%d-*-*-*-*-*-iso8859-1", {13, 14, 15}},
    {"-bitstream-charter-medium-r-normal--%d-*-*-*-p-*-iso8859-1", {10, 11, 12, 14, 15}},
    {"-urw-nimbus mono l-regular-r-normal--%d-0-0-0-m-0-iso8859-1", {0}},
    {"-b&h-lucidatypewriter-medium-r-normal-sans-%d-*-*-*-m-*-iso8859-1", {10, 11, 12, 14}},
    {"-urw-century schoolbook l-regular-r-normal--%d-0-0-0-p-0-iso8859-1", {0}},
    {"-urw-urw gothic l-book-r-normal--%d-0-0-0-p-0-iso8859-1", {0}},
};
#define NFACES (int)(sizeof(faces) / sizeof(faces[0]))

static int face_has_size(const Face *face, int size) {
    if (face->sizes[0] == 0) return 1;
    for (int i = 0; i < 8 && face->sizes[i]; i++) if (face->sizes[i] == size) return 1;
    return 0;
}

// Target labels: no two within one edit of each other (compared without case and spaces), and none a
// word-prefix of another, so each has exactly one right answer on a scene.
static const char *vocabulary[] = {
    "Save", "Open", "Cancel", "Apply", "Close", "Delete", "Rename", "Export", "Import", "Settings",
    "Preferences", "Help", "About", "Search", "Refresh", "Upload", "Download", "Print", "Share", "Edit",
    "View", "Tools", "Window", "Format", "Insert", "Undo", "Redo", "Copy", "Paste", "Select All",
    "Find Next", "Replace", "Zoom In", "Zoom Out", "New Folder", "New Tab", "Properties", "Details",
    "Submit", "Continue", "Back", "Finish", "Retry", "Ignore", "Accept", "Decline", "Connect",
    "Disconnect", "Login", "Register", "Profile", "Account", "Billing", "Security", "Privacy", "Network",
    "Display", "Sound", "Keyboard", "Mouse", "Battery", "Storage", "Updates", "Backup", "Restore", "Sync",
    "Archive", "Compress", "Extract", "Publish", "Schedule", "Calendar", "Contacts", "Messages", "Inbox",
    "Drafts", "Outbox", "Trash", "Favorites", "Recent", "Documents", "Pictures", "Music", "Videos",
    "Desktop", "Terminal", "Console", "Debug", "Run Tests", "Build", "Deploy", "Commit", "Push", "Merge",
    "Branch", "Checkout", "Status", "Report", "Analytics", "Dashboard", "Overview", "Summary", "Filters",
    "Sort by Name", "Show Hidden", "Add Item", "Remove Item", "Move Up", "Move Down", "Bold", "Italic",
    "Underline", "Font Size", "Line Spacing", "Page Setup", "Full Screen", "Sign In", "Invite People",
    "Check Spelling", "Word Count", "Track Changes", "Rotate Left",
    "Crop Image", "Color Picker", "Brightness", "Contrast", "Volume", "Language", "Region", "Timezone",
};
#define NVOCAB (int)(sizeof(vocabulary) / sizeof(vocabulary[0]))

// Words never drawn: the tests ask for them and expect no confident answer.
static const char *absent_words[] = {
    "Quantum", "Zephyr", "Nebula", "Marigold", "Obsidian", "Harbor", "Lantern", "Walnut",
    "Saffron", "Juniper", "Cobalt", "Falcon", "Glacier", "Meadow", "Orchid", "Quartz", "Tundra",
    "Hazelnut", "Kingfisher", "Xylophone", "Buffalo", "Dolphin", "Emerald", "Mandolin",
};
#define NABSENT (int)(sizeof(absent_words) / sizeof(absent_words[0]))

// Running text for the dense scene (lower case, unlike every target and absent word).
static const char *filler[] = {
    "lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "sed", "do", "eiusmod",
    "tempor", "incididunt", "ut", "labore", "et", "dolore", "magna", "aliqua", "enim", "ad", "minim",
    "veniam", "quis", "nostrud", "exercitation", "ullamco", "laboris", "nisi", "aliquip", "ex", "ea",
    "commodo", "consequat", "duis", "aute", "irure", "in", "reprehenderit", "voluptate", "velit", "esse",
    "cillum", "fugiat", "nulla", "pariatur", "excepteur", "sint", "occaecat", "cupidatat", "non",
    "proident", "sunt", "culpa", "qui", "officia", "deserunt", "mollit", "anim", "id", "est", "laborum",
};
#define NFILLER (int)(sizeof(filler) / sizeof(filler[0]))

typedef struct {
    int x, y, w, h;  // panel-local element box
    int tx, ty;      // text baseline origin, panel-local
    int ink_x, ink_y, ink_w, ink_h;
    char text[64];
    int button;
    int face, size;
    char font_name[256];
    XFontStruct *font;
    int panel;
} Target;

typedef struct {
    int x, y, w, h;     // requested rect in root pixels
    int scheme;
    Window win;
    GC gc;
    int dense;          // draws filler lines
    int exposed;
} Panel;

typedef struct {
    int x, y;
    char text[128];
    XFontStruct *font;
    int panel;
} FillerLine;

static Display *dpy;
static Panel panels[MAX_PANELS];
static int npanels = 0;
static Target targets[MAX_TARGETS];
static int ntargets = 0;
static FillerLine lines[MAX_FILLER];
static int nlines = 0;
static unsigned long long rng_state;
static volatile sig_atomic_t stop_requested = 0;
static int used_vocab[NVOCAB];
static int size_lo = 9, size_hi = 16;  // target text sizes in px (scenes 6 and 7: 8-12)

static unsigned long long next_random(void) {
    // SplitMix64: small, fast and the same everywhere.
    unsigned long long z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static int rand_int(int lo, int hi) {  // inclusive
    if (hi <= lo) return lo;
    return lo + (int)(next_random() % (unsigned long long)(hi - lo + 1));
}

static void on_signal(int sig) { (void)sig; stop_requested = 1; }

// Adds the font folders Xvfb does not list by default, keeping the server's own entries first.
static void extend_font_path(void) {
    static const char *extra[] = {"/usr/share/fonts/X11/75dpi", "/usr/share/fonts/X11/100dpi",
                                  "/usr/share/fonts/X11/Type1"};
    int n = 0;
    char **current = XGetFontPath(dpy, &n);
    char *paths[64];
    int count = 0;
    for (int i = 0; i < n && count < 60; i++) paths[count++] = current[i];
    int added = 0;
    for (unsigned e = 0; e < sizeof(extra) / sizeof(extra[0]); e++) {
        char dirfile[512];
        snprintf(dirfile, sizeof(dirfile), "%s/fonts.dir", extra[e]);
        if (access(dirfile, R_OK) != 0) continue;
        int present = 0;
        for (int i = 0; i < count; i++) {
            size_t len = strlen(extra[e]);
            if (!strncmp(paths[i], extra[e], len) && (paths[i][len] == 0 || paths[i][len] == '/')) present = 1;
        }
        if (!present) { paths[count++] = (char *)extra[e]; added = 1; }
    }
    if (added) XSetFontPath(dpy, paths, count);
    if (current) XFreeFontPath(current);
    XSync(dpy, False);
}

// Loads `face` at `size` px, falling back through the other faces that have that size, then to "fixed".
static XFontStruct *load_font(int face, int size, int *used_face, char *name_out, size_t name_cap) {
    for (int k = 0; k < NFACES; k++) {
        int f = (face + k) % NFACES;
        if (!face_has_size(&faces[f], size)) continue;
        char pattern[256];
        snprintf(pattern, sizeof(pattern), faces[f].pattern, size);
        XFontStruct *font = XLoadQueryFont(dpy, pattern);
        if (font) {
            *used_face = f;
            unsigned long atom = 0;
            char *resolved = NULL;
            if (XGetFontProperty(font, XA_FONT, &atom) && (resolved = XGetAtomName(dpy, (Atom)atom))) {
                snprintf(name_out, name_cap, "%s", resolved);
                XFree(resolved);
            } else {
                snprintf(name_out, name_cap, "%s", pattern);
            }
            return font;
        }
    }
    *used_face = -1;
    snprintf(name_out, name_cap, "fixed");
    return XLoadQueryFont(dpy, "fixed");
}

static int pick_word(void) {
    int free_count = 0;
    for (int i = 0; i < NVOCAB; i++) if (!used_vocab[i]) free_count++;
    if (free_count == 0) return -1;
    int k = rand_int(0, free_count - 1);
    for (int i = 0; i < NVOCAB; i++) {
        if (used_vocab[i]) continue;
        if (k-- == 0) { used_vocab[i] = 1; return i; }
    }
    return -1;
}

static int add_panel(int x, int y, int w, int h, int scheme, int dense) {
    if (npanels >= MAX_PANELS) return -1;
    Panel *p = &panels[npanels];
    p->x = x; p->y = y; p->w = w; p->h = h; p->scheme = scheme; p->dense = dense;
    return npanels++;
}

// Lays out up to `count` targets in the panel area [x0,x0+w) x [y0,y0+h) (panel-local), in rows.
static void layout_targets(int panel, int x0, int y0, int w, int h, int count, int button_share) {
    int x = x0, y = y0, row_h = 0;
    for (int n = 0; n < count && ntargets < MAX_TARGETS; n++) {
        int word = pick_word();
        if (word < 0) return;
        Target *t = &targets[ntargets];
        memset(t, 0, sizeof(*t));
        snprintf(t->text, sizeof(t->text), "%s", vocabulary[word]);
        t->size = rand_int(size_lo, size_hi);
        t->font = load_font(rand_int(0, NFACES - 1), t->size, &t->face, t->font_name, sizeof(t->font_name));
        if (!t->font) { used_vocab[word] = 0; continue; }
        t->button = rand_int(0, 99) < button_share;
        int len = (int)strlen(t->text);
        int dir, asc, desc;
        XCharStruct ink;
        XTextExtents(t->font, t->text, len, &dir, &asc, &desc, &ink);
        int text_w = XTextWidth(t->font, t->text, len);
        int line_h = t->font->ascent + t->font->descent;
        int pad_x = t->button ? rand_int(10, 22) : 2, pad_y = t->button ? rand_int(5, 10) : 2;
        t->w = text_w + 2 * pad_x;
        t->h = line_h + 2 * pad_y;
        int gap = rand_int(14, w / 8 > 48 ? w / 8 : 48);
        // Rows break early now and then, and sit at uneven distances, so targets spread over the panel.
        if (x + t->w > x0 + w || (x > x0 && rand_int(0, 99) < 20)) {
            x = x0 + rand_int(0, 60);
            int spread = (h - 40) / (count / 3 > 1 ? count / 3 : 1);
            y += row_h + rand_int(12, spread > 30 ? spread : 30);
            row_h = 0;
            if (x + t->w > x0 + w) x = x0;
        }
        if (y + t->h > y0 + h) { used_vocab[word] = 0; XFreeFont(dpy, t->font); return; }
        t->x = x; t->y = y;
        t->tx = x + pad_x;
        t->ty = y + pad_y + t->font->ascent;
        t->ink_x = t->tx + ink.lbearing;
        t->ink_y = t->ty - ink.ascent;
        t->ink_w = ink.rbearing - ink.lbearing;
        t->ink_h = ink.ascent + ink.descent;
        t->panel = panel;
        if (t->h > row_h) row_h = t->h;
        x += t->w + gap;
        ntargets++;
    }
}

// Fills the panel area with running text in one mono or sans face; every few lines a target is set inline.
static void add_line(int panel, int x, int y, XFontStruct *font, const char *text) {
    if (nlines >= MAX_FILLER || !text[0]) return;
    FillerLine *l = &lines[nlines++];
    l->x = x; l->y = y; l->font = font; l->panel = panel;
    snprintf(l->text, sizeof(l->text), "%s", text);
}

static void layout_dense(int panel, int x0, int y0, int w, int h, int inline_targets) {
    int face = rand_int(0, 1) ? 1 : 11, size = rand_int(12, 15), used = 0;
    char name[256];
    XFontStruct *font = load_font(face, size, &used, name, sizeof(name));
    if (!font) return;
    int line_h = font->ascent + font->descent + rand_int(2, 5);
    int every = inline_targets > 0 ? ((h / line_h) / (inline_targets + 1)) : 0;
    if (every < 2) every = 2;
    int space = XTextWidth(font, " ", 1);
    for (int y = y0 + font->ascent, line_no = 0; y + font->descent < y0 + h; y += line_h, line_no++) {
        int target_at = (inline_targets > 0 && line_no > 0 && line_no % every == 0) ? rand_int(1, 4) : -1;
        char segment[128] = "";
        int seg_x = x0, words = 0;
        for (;; words++) {
            if (words == target_at && ntargets < MAX_TARGETS) {
                int word = pick_word();
                if (word < 0) { target_at = -1; continue; }
                const char *label = vocabulary[word];
                int len = (int)strlen(label);
                int before = seg_x + (segment[0] ? XTextWidth(font, segment, (int)strlen(segment)) + space : 0);
                int tw = XTextWidth(font, label, len);
                if (before + tw >= x0 + w) { used_vocab[word] = 0; break; }
                if (segment[0]) {
                    add_line(panel, seg_x, y, font, segment);
                    segment[0] = 0;
                }
                Target *t = &targets[ntargets++];
                memset(t, 0, sizeof(*t));
                snprintf(t->text, sizeof(t->text), "%s", label);
                t->font = font; t->size = size; t->face = used; t->panel = panel;
                snprintf(t->font_name, sizeof(t->font_name), "%s", name);
                int dir, asc, desc;
                XCharStruct ink;
                XTextExtents(font, label, len, &dir, &asc, &desc, &ink);
                t->tx = before; t->ty = y;
                t->x = before - 1; t->y = y - font->ascent - 1; t->w = tw + 2; t->h = font->ascent + font->descent + 2;
                t->ink_x = before + ink.lbearing; t->ink_y = y - ink.ascent;
                t->ink_w = ink.rbearing - ink.lbearing; t->ink_h = ink.ascent + ink.descent;
                seg_x = before + tw + space;
                continue;
            }
            const char *word = filler[rand_int(0, NFILLER - 1)];
            char next[256];
            snprintf(next, sizeof(next), "%s%s%s", segment, segment[0] ? " " : "", word);
            if (strlen(next) >= sizeof(segment) || seg_x + XTextWidth(font, next, (int)strlen(next)) >= x0 + w) break;
            memcpy(segment, next, strlen(next) + 1);
        }
        add_line(panel, seg_x, y, font, segment);
    }
}

static void build_scene(int scene, int sx, int sy, int sw, int sh, int max_targets) {
    int margin = 24;
    switch (scene) {
    case 0: {
        int p = add_panel(sx, sy, sw, sh, rand_int(0, 1), 0);
        layout_targets(p, margin, margin, sw - 2 * margin, sh - 2 * margin, max_targets ? max_targets : 30, 60);
        break;
    }
    case 1: {
        int half = sw / 2;
        int a = add_panel(sx, sy, half, sh, 2, 0), b = add_panel(sx + half, sy, sw - half, sh, 3, 0);
        int n = max_targets ? max_targets : 28;
        layout_targets(a, margin, margin, half - 2 * margin, sh - 2 * margin, n / 2, 70);
        layout_targets(b, margin, margin, sw - half - 2 * margin, sh - 2 * margin, n - n / 2, 30);
        break;
    }
    case 2: {
        int hw = sw / 2, hh = sh / 2, n = max_targets ? max_targets : 28;
        int order[4] = {4, 5, 6, 7};
        for (int i = 0; i < 4; i++) {
            int px = sx + (i % 2) * hw, py = sy + (i / 2) * hh;
            int p = add_panel(px, py, i % 2 ? sw - hw : hw, i / 2 ? sh - hh : hh, order[i], 0);
            layout_targets(p, margin, margin, panels[p].w - 2 * margin, panels[p].h - 2 * margin, n / 4, 50);
        }
        break;
    }
    case 3: {
        int left = sw * 2 / 3, n = max_targets ? max_targets : 24;
        int dark = rand_int(0, 1);
        int a = add_panel(sx, sy, left, sh, dark ? 2 : 1, 1);
        int b = add_panel(sx + left, sy, sw - left, sh, dark ? 3 : 0, 0);
        layout_dense(a, 12, 12, left - 24, sh - 24, n / 2);
        layout_targets(b, margin, margin, sw - left - 2 * margin, sh - 2 * margin, n - n / 2, 80);
        break;
    }
    case 4: {
        int cols = 3, rows = 2, n = max_targets ? max_targets : 30;
        int cw = sw / cols, ch = sh / rows;
        for (int i = 0; i < cols * rows; i++) {
            int pw = cw - rand_int(20, 80), ph = ch - rand_int(20, 80);
            int px = sx + (i % cols) * cw + rand_int(0, cw - pw), py = sy + (i / cols) * ch + rand_int(0, ch - ph);
            int p = add_panel(px, py, pw, ph, rand_int(0, NSCHEMES - 1), 0);
            layout_targets(p, 16, 16, pw - 32, ph - 32, n / (cols * rows), 50);
        }
        break;
    }
    case 6:
    case 7: {
        size_lo = 8; size_hi = 12;
        int half = sw / 2, n = max_targets ? max_targets : 40;
        int a = add_panel(sx, sy, half, sh, scene == 6 ? 0 : 2, 0);
        int b = add_panel(sx + half, sy, sw - half, sh, scene == 6 ? 1 : 3, 0);
        layout_targets(a, margin, margin, half - 2 * margin, sh - 2 * margin, n / 2, 50);
        layout_targets(b, margin, margin, sw - half - 2 * margin, sh - 2 * margin, n - n / 2, 50);
        break;
    }
    default: {
        int p = add_panel(sx, sy, sw, sh, rand_int(0, NSCHEMES - 1), 0);
        layout_targets(p, 12, 12, sw - 24, sh - 24, max_targets ? max_targets : 4, 60);
        break;
    }
    }
}

static void draw_panel(int i) {
    Panel *p = &panels[i];
    const Scheme *s = &schemes[p->scheme];
    XSetForeground(dpy, p->gc, s->bg);
    XFillRectangle(dpy, p->win, p->gc, 0, 0, (unsigned)p->w, (unsigned)p->h);
    for (int k = 0; k < nlines; k++) {
        FillerLine *l = &lines[k];
        if (l->panel != i || !l->text[0]) continue;
        XSetFont(dpy, p->gc, l->font->fid);
        XSetForeground(dpy, p->gc, s->fg);
        XDrawString(dpy, p->win, p->gc, l->x, l->y, l->text, (int)strlen(l->text));
    }
    for (int k = 0; k < ntargets; k++) {
        Target *t = &targets[k];
        if (t->panel != i) continue;
        if (t->button) {
            XSetForeground(dpy, p->gc, s->button_bg);
            XFillRectangle(dpy, p->win, p->gc, t->x, t->y, (unsigned)t->w, (unsigned)t->h);
            XSetForeground(dpy, p->gc, s->button_border);
            XDrawRectangle(dpy, p->win, p->gc, t->x, t->y, (unsigned)t->w - 1, (unsigned)t->h - 1);
        }
        XSetFont(dpy, p->gc, t->font->fid);
        XSetForeground(dpy, p->gc, s->fg);
        XDrawString(dpy, p->win, p->gc, t->tx, t->ty, t->text, (int)strlen(t->text));
    }
}

static void json_string(FILE *f, const char *s) {
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') { fputc('\\', f); fputc(c, f); }
        else if (c < 0x20) fprintf(f, "\\u%04x", c);
        else fputc(c, f);
    }
    fputc('"', f);
}

static int write_truth(const char *path, int scene, unsigned long long seed) {
    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s.tmp%d", path, (int)getpid());
    FILE *f = fopen(tmp, "w");
    if (!f) { perror(tmp); return -1; }
    fprintf(f, "{\"scene\":%d,\"seed\":%llu,\"screen\":[%d,%d],\n\"panels\":[", scene, seed,
            DisplayWidth(dpy, DefaultScreen(dpy)), DisplayHeight(dpy, DefaultScreen(dpy)));
    for (int i = 0; i < npanels; i++) {
        Panel *p = &panels[i];
        fprintf(f, "%s\n {\"id\":\"0x%lx\",\"instance\":\"panel%d\",\"class\":\"LabelsPanel\",\"scheme\":\"%s\","
                   "\"dense\":%s,\"rect\":[%d,%d,%d,%d]}",
                i ? "," : "", p->win, i, schemes[p->scheme].name, p->dense ? "true" : "false", p->x, p->y, p->w, p->h);
    }
    fputs("],\n\"targets\":[", f);
    for (int k = 0; k < ntargets; k++) {
        Target *t = &targets[k];
        Panel *p = &panels[t->panel];
        fprintf(f, "%s\n {\"text\":", k ? "," : "");
        json_string(f, t->text);
        fprintf(f, ",\"box\":[%d,%d,%d,%d],\"ink\":[%d,%d,%d,%d],\"kind\":\"%s\",\"size\":%d,\"font\":",
                p->x + t->x, p->y + t->y, t->w, t->h, p->x + t->ink_x, p->y + t->ink_y, t->ink_w, t->ink_h,
                t->button ? "button" : "label", t->size);
        json_string(f, t->font_name);
        fprintf(f, ",\"scheme\":\"%s\",\"panel\":%d}", schemes[p->scheme].name, t->panel);
    }
    fputs("],\n\"absent\":[", f);
    for (int i = 0; i < NABSENT; i++) {
        fputs(i ? "," : "", f);
        json_string(f, absent_words[i]);
    }
    fputs("]}\n", f);
    if (fclose(f) != 0) { perror(tmp); return -1; }
    if (rename(tmp, path) != 0) { perror(path); return -1; }
    return 0;
}

int main(int argc, char **argv) {
    int scene = 0, max_targets = 0, gw = 0, gh = 0, gx = 0, gy = 0, have_geometry = 0;
    unsigned long long seed = 1;
    const char *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--scene") && i + 1 < argc) scene = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc) seed = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--out") && i + 1 < argc) out = argv[++i];
        else if (!strcmp(argv[i], "--targets") && i + 1 < argc) max_targets = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--geometry") && i + 1 < argc) {
            if (sscanf(argv[++i], "%dx%d+%d+%d", &gw, &gh, &gx, &gy) != 4 || gw < 64 || gh < 48) {
                fprintf(stderr, "deskpilot-labels: --geometry wants WxH+X+Y (at least 64x48)\n");
                return 2;
            }
            have_geometry = 1;
        } else {
            fprintf(stderr, "usage: deskpilot-labels --scene N --seed S --out FILE [--geometry WxH+X+Y] [--targets K]\n");
            return 2;
        }
    }
    if (!out) { fprintf(stderr, "deskpilot-labels: --out FILE is required\n"); return 2; }
    if (max_targets < 0 || max_targets > MAX_TARGETS) { fprintf(stderr, "deskpilot-labels: --targets 0..%d\n", MAX_TARGETS); return 2; }
    dpy = XOpenDisplay(NULL);
    if (!dpy) {
        fprintf(stderr, "deskpilot-labels: cannot open display %s\n", getenv("DISPLAY") ? getenv("DISPLAY") : "(unset)");
        return 3;
    }
    rng_state = seed * 1000003ULL + (unsigned long long)scene * 7919ULL + 1;
    extend_font_path();
    int screen = DefaultScreen(dpy);
    if (!have_geometry) { gw = DisplayWidth(dpy, screen); gh = DisplayHeight(dpy, screen); gx = 0; gy = 0; }
    build_scene(scene, gx, gy, gw, gh, max_targets);

    for (int i = 0; i < npanels; i++) {
        Panel *p = &panels[i];
        XSetWindowAttributes attrs;
        attrs.background_pixel = schemes[p->scheme].bg;
        attrs.event_mask = ExposureMask | StructureNotifyMask;
        p->win = XCreateWindow(dpy, RootWindow(dpy, screen), p->x, p->y, (unsigned)p->w, (unsigned)p->h, 0,
                               CopyFromParent, InputOutput, CopyFromParent, CWBackPixel | CWEventMask, &attrs);
        XSizeHints hints = {0};
        hints.flags = USPosition | USSize;
        hints.x = p->x; hints.y = p->y; hints.width = p->w; hints.height = p->h;
        XSetWMNormalHints(dpy, p->win, &hints);
        char instance[32], title[96];
        snprintf(instance, sizeof(instance), "panel%d", i);
        snprintf(title, sizeof(title), "Labels panel %d (%s)", i, schemes[p->scheme].name);
        XClassHint ch = {instance, (char *)"LabelsPanel"};
        XSetClassHint(dpy, p->win, &ch);
        XStoreName(dpy, p->win, title);
        p->gc = XCreateGC(dpy, p->win, 0, NULL);
        XMapRaised(dpy, p->win);
    }
    XFlush(dpy);
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);

    int written = 0;
    while (!stop_requested) {
        if (!XPending(dpy)) {
            struct timespec ts = {0, 2000000};
            nanosleep(&ts, NULL);
            continue;
        }
        XEvent ev;
        XNextEvent(dpy, &ev);
        if (ev.type != Expose) continue;
        for (int i = 0; i < npanels; i++) {
            if (panels[i].win != ev.xexpose.window) continue;
            if (ev.xexpose.count == 0) { draw_panel(i); panels[i].exposed = 1; }
        }
        if (!written) {
            int all = 1;
            for (int i = 0; i < npanels; i++) all &= panels[i].exposed;
            if (all) {
                XSync(dpy, False);
                if (write_truth(out, scene, seed) != 0) return 1;
                written = 1;
            }
        }
    }
    XCloseDisplay(dpy);
    return 0;
}

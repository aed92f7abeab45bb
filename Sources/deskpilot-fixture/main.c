// deskpilot-fixture: a small Xlib client that tests (and curious users) point deskpilot at.
//
// It opens one window with a colour-bar pattern, labelled buttons and a text field, and writes every
// event it receives as one JSON object per line to the log file named on its command line. Text comes
// through an input context and Xutf8LookupString, so any character a keyboard layout (or a temporary
// key binding) produces arrives as UTF-8 text, which is how the tests check typing exactly.
//
// SIGUSR1 asks for a mark: the fixture sends itself a ClientMessage through the X server and, when it comes
// back, logs {"type":"mark"}. The server delivers a client's events in order, so by the time the mark is
// logged every event the server had sent this window before is logged too, and whatever the fixture drew in
// answer has reached the screen (it syncs first). Tests use it as a barrier instead of sleeping: "nothing
// more is on its way" (refused input never arrived) or "the window shows it" (before a screenshot).
//
// Usage: deskpilot-fixture --log FILE [--geometry WxH+X+Y] [--title T] [--class C]
//                          [--buttons "OK,Cancel,Save"] [--labels "Name:Alpha,..."] [--no-pattern]
#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/keysym.h>
#include <X11/XKBlib.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_BUTTONS 32
#define FIELD_CAP 65536

typedef struct { int x, y, w, h; char label[128]; } Button;

static FILE *logf;
static Display *dpy;
static Window win;
static GC gc;
static int width = 800, height = 600, posx = 0, posy = 0;
static Button buttons[MAX_BUTTONS];
static int nbuttons = 0;
static char field[FIELD_CAP];
static size_t fieldlen = 0;
static int pattern = 1;
static const int field_x = 20, field_y = 220, field_w = 760, field_h = 40;
static volatile sig_atomic_t stop_requested = 0;
static volatile sig_atomic_t mark_requested = 0;

// The colour bars the capture tests check pixel for pixel (RGB).
static const unsigned long bars[] = {0xFF0000, 0x00FF00, 0x0000FF, 0x123456, 0xFFFFFF, 0x000000, 0xFEDCBA, 0x808080};
#define NBARS (sizeof(bars) / sizeof(bars[0]))

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void json_string(FILE *f, const char *s, size_t n) {
    fputc('"', f);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (c < 0x20) fprintf(f, "\\u%04x", c);
            else fputc(c, f);
        }
    }
    fputc('"', f);
}

static void log_begin(const char *type) { fprintf(logf, "{\"type\":\"%s\",\"time\":%.6f", type, now_seconds()); }
static void log_end(void) { fputs("}\n", logf); fflush(logf); }

static void log_text_field(void) {
    log_begin("text");
    fputs(",\"value\":", logf);
    json_string(logf, field, fieldlen);
    log_end();
}

static void draw(void) {
    XSetForeground(dpy, gc, 0xF0F0F0);
    XFillRectangle(dpy, win, gc, 0, 0, width, height);
    if (pattern) {
        int bw = width / (int)NBARS;
        for (unsigned i = 0; i < NBARS; i++) {
            XSetForeground(dpy, gc, bars[i]);
            XFillRectangle(dpy, win, gc, (int)i * bw, 0, bw, 100);
        }
    }
    for (int i = 0; i < nbuttons; i++) {
        Button *b = &buttons[i];
        XSetForeground(dpy, gc, 0xD0D0E0);
        XFillRectangle(dpy, win, gc, b->x, b->y, b->w, b->h);
        XSetForeground(dpy, gc, 0x202020);
        XDrawRectangle(dpy, win, gc, b->x, b->y, b->w - 1, b->h - 1);
        XDrawString(dpy, win, gc, b->x + 10, b->y + b->h / 2 + 5, b->label, (int)strlen(b->label));
    }
    XSetForeground(dpy, gc, 0xFFFFFF);
    XFillRectangle(dpy, win, gc, field_x, field_y, field_w, field_h);
    XSetForeground(dpy, gc, 0x000000);
    XDrawRectangle(dpy, win, gc, field_x, field_y, field_w - 1, field_h - 1);
    // Only the ASCII tail is drawn (core fonts); the log carries the exact text.
    char shown[96];
    size_t n = 0;
    size_t start = fieldlen > 90 ? fieldlen - 90 : 0;
    for (size_t i = start; i < fieldlen && n < sizeof(shown) - 1; i++)
        if ((unsigned char)field[i] >= 0x20 && (unsigned char)field[i] < 0x7f) shown[n++] = field[i];
    XDrawString(dpy, win, gc, field_x + 6, field_y + 25, shown, (int)n);
    XFlush(dpy);
}

static void field_append(const char *s, size_t n) {
    if (fieldlen + n >= FIELD_CAP) return;
    memcpy(field + fieldlen, s, n);
    fieldlen += n;
}

static void field_backspace(void) {
    while (fieldlen > 0) {
        unsigned char c = (unsigned char)field[--fieldlen];
        if ((c & 0xC0) != 0x80) break;  // stop at the first byte of a UTF-8 sequence
    }
}

static int button_at(int x, int y) {
    for (int i = 0; i < nbuttons; i++) {
        Button *b = &buttons[i];
        if (x >= b->x && y >= b->y && x < b->x + b->w && y < b->y + b->h) return i;
    }
    return -1;
}

// Four buttons a row: the first row above the text field, later rows below it.
static void parse_buttons(const char *spec) {
    char *copy = strdup(spec), *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok && nbuttons < MAX_BUTTONS; tok = strtok_r(NULL, ",", &save)) {
        int i = nbuttons++, row = i / 4, col = i % 4;
        Button *b = &buttons[i];
        b->w = 160;
        b->h = 40;
        b->x = 20 + col * 190;
        b->y = row == 0 ? 120 : 280 + (row - 1) * 60;
        snprintf(b->label, sizeof(b->label), "%s", tok);
    }
    free(copy);
}

// Whether a key event is the Latin letter `want` for shortcut purposes, as GTK and Qt decide it: the keysym
// itself, the same key's keysym in any group, or — when the layout has no Latin letter on the key at all
// (`setxkbmap ru`) — the key's position on a US keyboard (evdev keycodes, Qt's fallback keymap).
static int shortcut_letter_is(KeyCode keycode, KeySym sym, KeySym want) {
    if (sym == want || sym == (want - 0x20)) return 1;
    int any_latin = 0;
    for (int g = 0; g < 4; g++) {
        KeySym s = XkbKeycodeToKeysym(dpy, keycode, g, 0);
        if (s == want) return 1;
        if (s >= 0x20 && s < 0x100) any_latin = 1;
    }
    if (!any_latin && want == XK_v && keycode == 55) return 1;
    return 0;
}

static void on_signal(int sig) { (void)sig; stop_requested = 1; }
static void on_mark(int sig) { (void)sig; mark_requested = 1; }

static void request_selection(Atom selection, Atom utf8, Atom prop) {
    XConvertSelection(dpy, selection, utf8, prop, win, CurrentTime);
}

int main(int argc, char **argv) {
    const char *logpath = NULL, *title = "deskpilot fixture", *klass = "DeskpilotFixture";
    const char *button_spec = "OK,Cancel,Save,Open";
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--log") && i + 1 < argc) logpath = argv[++i];
        else if (!strcmp(argv[i], "--geometry") && i + 1 < argc) {
            if (sscanf(argv[++i], "%dx%d+%d+%d", &width, &height, &posx, &posy) < 2) {
                fprintf(stderr, "deskpilot-fixture: --geometry wants WxH+X+Y\n");
                return 2;
            }
        } else if (!strcmp(argv[i], "--title") && i + 1 < argc) title = argv[++i];
        else if (!strcmp(argv[i], "--class") && i + 1 < argc) klass = argv[++i];
        else if (!strcmp(argv[i], "--buttons") && i + 1 < argc) button_spec = argv[++i];
        else if (!strcmp(argv[i], "--no-pattern")) pattern = 0;
        else {
            fprintf(stderr, "usage: deskpilot-fixture --log FILE [--geometry WxH+X+Y] [--title T] [--class C] "
                            "[--buttons \"A,B\"] [--no-pattern]\n");
            return 2;
        }
    }
    if (!logpath) { fprintf(stderr, "deskpilot-fixture: --log FILE is required\n"); return 2; }
    logf = !strcmp(logpath, "-") ? stdout : fopen(logpath, "a");
    if (!logf) { perror(logpath); return 2; }

    // Text must come out as UTF-8 whatever the caller's locale: fall back to C.UTF-8.
    if (!setlocale(LC_ALL, "") || !strstr(setlocale(LC_CTYPE, NULL), "UTF-8")) setlocale(LC_ALL, "C.UTF-8");
    XSetLocaleModifiers("@im=none");

    dpy = XOpenDisplay(NULL);
    if (!dpy) { fprintf(stderr, "deskpilot-fixture: cannot open display %s\n", getenv("DISPLAY") ? getenv("DISPLAY") : "(unset)"); return 3; }
    parse_buttons(button_spec);

    int screen = DefaultScreen(dpy);
    XSetWindowAttributes attrs;
    attrs.background_pixel = 0xF0F0F0;
    attrs.event_mask = ExposureMask | KeyPressMask | KeyReleaseMask | ButtonPressMask | ButtonReleaseMask |
                       ButtonMotionMask | FocusChangeMask | StructureNotifyMask | PropertyChangeMask;
    win = XCreateWindow(dpy, RootWindow(dpy, screen), posx, posy, width, height, 0, CopyFromParent, InputOutput,
                        CopyFromParent, CWBackPixel | CWEventMask, &attrs);
    XSizeHints hints = {0};
    hints.flags = USPosition | USSize;
    hints.x = posx; hints.y = posy; hints.width = width; hints.height = height;
    XSetWMNormalHints(dpy, win, &hints);
    XClassHint ch = {(char *)"deskpilot-fixture", (char *)klass};
    XSetClassHint(dpy, win, &ch);
    Atom utf8 = XInternAtom(dpy, "UTF8_STRING", False);
    XChangeProperty(dpy, win, XInternAtom(dpy, "_NET_WM_NAME", False), utf8, 8, PropModeReplace,
                    (unsigned char *)title, (int)strlen(title));
    XStoreName(dpy, win, title);
    Atom wm_delete = XInternAtom(dpy, "WM_DELETE_WINDOW", False);
    XSetWMProtocols(dpy, win, &wm_delete, 1);
    gc = XCreateGC(dpy, win, 0, NULL);

    XIM im = XOpenIM(dpy, NULL, NULL, NULL);
    XIC ic = NULL;
    if (im) ic = XCreateIC(im, XNInputStyle, XIMPreeditNothing | XIMStatusNothing, XNClientWindow, win,
                           XNFocusWindow, win, NULL);
    if (ic) XSetICFocus(ic);
    Atom clipboard = XInternAtom(dpy, "CLIPBOARD", False);
    Atom paste_prop = XInternAtom(dpy, "DESKPILOT_FIXTURE_PASTE", False);
    Atom mark_atom = XInternAtom(dpy, "DESKPILOT_FIXTURE_MARK", False);

    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    signal(SIGUSR1, on_mark);
    // A parent may have started it with signals blocked (a mask survives exec): the mark must get through.
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_UNBLOCK, &usr1, NULL);
    XMapRaised(dpy, win);
    XFlush(dpy);

    int ready = 0, pressed_button = -1, press_x = 0, press_y = 0;
    while (!stop_requested) {
        if (mark_requested) {
            // An empty event mask sends the event to the window's creator: this client, behind every event
            // the server has queued for it so far.
            mark_requested = 0;
            XEvent mark = {0};
            mark.xclient.type = ClientMessage;
            mark.xclient.window = win;
            mark.xclient.message_type = mark_atom;
            mark.xclient.format = 32;
            XSendEvent(dpy, win, False, NoEventMask, &mark);
            XFlush(dpy);
        }
        if (!XPending(dpy)) {
            // Poll so a signal can end the loop (XNextEvent would block inside read()).
            struct timespec ts = {0, 2000000};
            nanosleep(&ts, NULL);
            continue;
        }
        XEvent ev;
        XNextEvent(dpy, &ev);
        if (XFilterEvent(&ev, None)) continue;
        switch (ev.type) {
        case Expose:
            if (ev.xexpose.count == 0) draw();
            if (!ready) {
                ready = 1;
                log_begin("ready");
                fprintf(logf, ",\"window\":\"0x%lx\",\"x\":%d,\"y\":%d,\"width\":%d,\"height\":%d,\"im\":%s",
                        win, posx, posy, width, height, ic ? "true" : "false");
                log_end();
            }
            break;
        case KeyPress: {
            char buf[64];
            KeySym sym = NoSymbol;
            Status st = 0;
            int n = ic ? Xutf8LookupString(ic, &ev.xkey, buf, sizeof(buf) - 1, &sym, &st)
                       : XLookupString(&ev.xkey, buf, sizeof(buf) - 1, &sym, NULL);
            if (n < 0) n = 0;
            if (ic && st != XLookupChars && st != XLookupBoth) n = 0;
            if (ic && st != XLookupKeySym && st != XLookupBoth) sym = sym ? sym : NoSymbol;
            const char *name = sym != NoSymbol ? XKeysymToString(sym) : NULL;
            log_begin("key_press");
            fprintf(logf, ",\"keycode\":%u,\"state\":%u,\"keysym\":\"0x%lx\",\"name\":", ev.xkey.keycode,
                    ev.xkey.state, sym);
            json_string(logf, name ? name : "", name ? strlen(name) : 0);
            fputs(",\"text\":", logf);
            json_string(logf, buf, (size_t)n);
            log_end();
            int changed = 0;
            if (sym == XK_Return || sym == XK_KP_Enter) { field_append("\n", 1); changed = 1; }
            else if (sym == XK_Tab || sym == XK_ISO_Left_Tab) { field_append("\t", 1); changed = 1; }
            else if (sym == XK_BackSpace) { field_backspace(); changed = 1; }
            else if ((ev.xkey.state & ControlMask) && (ev.xkey.state & ShiftMask) &&
                     (sym == XK_Delete || sym == XK_KP_Delete)) {
                // Test helper: ctrl+shift+Delete empties the field (logged as text "").
                fieldlen = 0;
                changed = 1;
            } else if ((ev.xkey.state & ControlMask) && shortcut_letter_is((KeyCode)ev.xkey.keycode, sym, XK_v)) {
                request_selection(clipboard, utf8, paste_prop);
            } else if ((ev.xkey.state & ShiftMask) && sym == XK_Insert) {
                request_selection(XA_PRIMARY, utf8, paste_prop);
            } else if (n > 0 && !(ev.xkey.state & ControlMask) && (unsigned char)buf[0] >= 0x20 && buf[0] != 0x7f) {
                field_append(buf, (size_t)n);
                changed = 1;
            }
            if (changed) { log_text_field(); draw(); }
            break;
        }
        case KeyRelease: {
            KeySym sym = NoSymbol;
            char buf[16];
            XLookupString(&ev.xkey, buf, sizeof(buf), &sym, NULL);
            const char *name = sym != NoSymbol ? XKeysymToString(sym) : NULL;
            log_begin("key_release");
            fprintf(logf, ",\"keycode\":%u,\"state\":%u,\"keysym\":\"0x%lx\",\"name\":", ev.xkey.keycode,
                    ev.xkey.state, sym);
            json_string(logf, name ? name : "", name ? strlen(name) : 0);
            log_end();
            break;
        }
        case ButtonPress:
            log_begin("button_press");
            fprintf(logf, ",\"button\":%u,\"x\":%d,\"y\":%d,\"root_x\":%d,\"root_y\":%d,\"state\":%u,\"xtime\":%lu",
                    ev.xbutton.button, ev.xbutton.x, ev.xbutton.y, ev.xbutton.x_root, ev.xbutton.y_root,
                    ev.xbutton.state, ev.xbutton.time);
            log_end();
            if (ev.xbutton.button <= 3) {
                pressed_button = button_at(ev.xbutton.x, ev.xbutton.y);
                press_x = ev.xbutton.x_root;
                press_y = ev.xbutton.y_root;
            }
            break;
        case ButtonRelease:
            log_begin("button_release");
            fprintf(logf, ",\"button\":%u,\"x\":%d,\"y\":%d,\"root_x\":%d,\"root_y\":%d,\"state\":%u,\"xtime\":%lu",
                    ev.xbutton.button, ev.xbutton.x, ev.xbutton.y, ev.xbutton.x_root, ev.xbutton.y_root,
                    ev.xbutton.state, ev.xbutton.time);
            log_end();
            if (ev.xbutton.button <= 3) {
                int b = button_at(ev.xbutton.x, ev.xbutton.y);
                if (b >= 0 && b == pressed_button) {
                    log_begin("clicked");
                    fputs(",\"label\":", logf);
                    json_string(logf, buttons[b].label, strlen(buttons[b].label));
                    fprintf(logf, ",\"button\":%u", ev.xbutton.button);
                    log_end();
                }
                if (press_x != ev.xbutton.x_root || press_y != ev.xbutton.y_root) {
                    log_begin("drag");
                    fprintf(logf, ",\"button\":%u,\"from\":[%d,%d],\"to\":[%d,%d]", ev.xbutton.button, press_x,
                            press_y, ev.xbutton.x_root, ev.xbutton.y_root);
                    log_end();
                }
                pressed_button = -1;
            }
            break;
        case MotionNotify:
            log_begin("motion");
            fprintf(logf, ",\"root_x\":%d,\"root_y\":%d,\"state\":%u", ev.xmotion.x_root, ev.xmotion.y_root,
                    ev.xmotion.state);
            log_end();
            break;
        case FocusIn:
        case FocusOut:
            log_begin(ev.type == FocusIn ? "focus_in" : "focus_out");
            log_end();
            if (ic) { if (ev.type == FocusIn) XSetICFocus(ic); else XUnsetICFocus(ic); }
            break;
        case SelectionNotify:
            if (ev.xselection.property == None) {
                log_begin("paste_failed");
                log_end();
            } else {
                Atom type;
                int format;
                unsigned long nitems, after;
                unsigned char *data = NULL;
                if (XGetWindowProperty(dpy, win, paste_prop, 0, FIELD_CAP / 4, True, AnyPropertyType, &type, &format,
                                       &nitems, &after, &data) == Success && data) {
                    log_begin("paste");
                    fputs(",\"text\":", logf);
                    json_string(logf, (char *)data, nitems);
                    log_end();
                    field_append((char *)data, nitems);
                    XFree(data);
                    log_text_field();
                    draw();
                }
            }
            break;
        case ClientMessage:
            if (ev.xclient.message_type == mark_atom) {
                // Drawing done for earlier events reaches the server before the mark is logged.
                XSync(dpy, False);
                log_begin("mark");
                log_end();
            } else if ((Atom)ev.xclient.data.l[0] == wm_delete) {
                stop_requested = 1;
            }
            break;
        default:
            break;
        }
    }
    log_begin("exit");
    log_end();
    if (ic) XDestroyIC(ic);
    if (im) XCloseIM(im);
    XCloseDisplay(dpy);
    return 0;
}

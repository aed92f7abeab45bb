// deskpilot-gtk-fixture: a GTK3 window of labelled widgets for the accessibility tests.
//
// It shows push buttons (words and symbol-only labels: =, ×, ✓, ◀, ↻), toggle buttons, check boxes, radio
// buttons, icon-only buttons whose only label is their accessible name, labelled entries, a spin button and
// a slider. It writes one JSON object per line to the log file named on its command line:
//   {"event":"widget","name":"=","role":"push button","x":..,"y":..,"width":..,"height":..,"layout":N}
//     for every widget, with its own geometry (GTK's allocation) in root-window pixels, each time the
//     window's layout or position changes (N counts the layouts; tests compare with the latest one);
//   {"event":"ready","layout":N} after each such batch;
//   {"event":"click","name":"="} for every click a button receives, {"event":"changed",...} for entries.
//
// Usage: deskpilot-gtk-fixture --log FILE [--title T] [--extra N]
// (--extra adds N plain buttons "Extra 1"… below the fixture, for tree-walk benchmarks of a large app)
#include <gtk/gtk.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *name;   // accessible name (and label, unless an icon is given)
    const char *kind;   // button, toggle, check, radio, icon, entry, spin, scale
    const char *icon;   // icon name for icon-only buttons
} Spec;

static const Spec specs[] = {
    {"=", "button", NULL}, {"×", "button", NULL}, {"✓", "button", NULL}, {"◀", "button", NULL},
    {"↻", "button", NULL}, {"+", "button", NULL}, {"−", "button", NULL}, {"÷", "button", NULL},
    {"%", "button", NULL}, {"C", "button", NULL}, {"OK", "button", NULL}, {"Cancel", "button", NULL},
    {"Apply", "button", NULL}, {"Help", "button", NULL}, {"Save", "button", NULL}, {"Open", "button", NULL},
    {"Undo", "button", NULL}, {"Sort", "button", NULL}, {"Share", "button", NULL}, {"Account", "button", NULL},
    {"Bold", "toggle", NULL}, {"Italic", "toggle", NULL}, {"★", "toggle", NULL},
    {"Remember me", "check", NULL}, {"Dark mode", "check", NULL}, {"Notifications", "check", NULL},
    {"Small", "radio", NULL}, {"Medium", "radio", NULL}, {"Large", "radio", NULL},
    {"Search", "icon", "edit-find"}, {"Settings", "icon", "preferences-system"},
    {"Refresh", "icon", "view-refresh"}, {"Close", "icon", "window-close"},
    {"Name", "entry", NULL}, {"Email", "entry", NULL},
    {"Quantity", "spin", NULL}, {"Volume", "scale", NULL},
};
#define NSPECS (sizeof(specs) / sizeof(specs[0]))

static FILE *logf;
static GtkWidget *window;
static GtkWidget *widgets[NSPECS];
static int layout = 0;
static int last_x = -100000, last_y = -100000, last_w = -1, last_h = -1;
static guint pending = 0;

static void json_string(const char *s) {
    fputc('"', logf);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') { fputc('\\', logf); fputc(*p, logf); }
        else if (*p < 0x20) fprintf(logf, "\\u%04x", *p);
        else fputc(*p, logf);
    }
    fputc('"', logf);
}

static const char *role_of(const char *kind) {
    if (!strcmp(kind, "toggle")) return "toggle button";
    if (!strcmp(kind, "check")) return "check box";
    if (!strcmp(kind, "radio")) return "radio button";
    if (!strcmp(kind, "entry")) return "text";
    if (!strcmp(kind, "spin")) return "spin button";
    if (!strcmp(kind, "scale")) return "slider";
    return "push button";
}

// Writes every widget's geometry in root-window pixels, once the layout has settled.
static gboolean log_layout(gpointer data) {
    (void)data;
    pending = 0;
    GdkWindow *gdk = gtk_widget_get_window(window);
    if (!gdk) return G_SOURCE_REMOVE;
    int ox = 0, oy = 0;
    gdk_window_get_origin(gdk, &ox, &oy);
    int w = gtk_widget_get_allocated_width(window), h = gtk_widget_get_allocated_height(window);
    if (ox == last_x && oy == last_y && w == last_w && h == last_h) return G_SOURCE_REMOVE;
    last_x = ox; last_y = oy; last_w = w; last_h = h;
    layout++;
    for (size_t i = 0; i < NSPECS; i++) {
        int x = 0, y = 0;
        if (!gtk_widget_translate_coordinates(widgets[i], window, 0, 0, &x, &y)) continue;
        GtkAllocation a;
        gtk_widget_get_allocation(widgets[i], &a);
        fputs("{\"event\":\"widget\",\"name\":", logf);
        json_string(specs[i].name);
        fprintf(logf, ",\"kind\":\"%s\",\"role\":\"%s\",\"x\":%d,\"y\":%d,\"width\":%d,\"height\":%d,\"layout\":%d}\n",
                specs[i].kind, role_of(specs[i].kind), ox + x, oy + y, a.width, a.height, layout);
    }
    fprintf(logf, "{\"event\":\"ready\",\"layout\":%d,\"x\":%d,\"y\":%d,\"width\":%d,\"height\":%d}\n", layout, ox, oy, w, h);
    fflush(logf);
    return G_SOURCE_REMOVE;
}

// Layout and moves come in bursts (map, the window manager placing the frame): log once they stop.
static void schedule_layout(void) {
    if (pending) g_source_remove(pending);
    pending = g_timeout_add(150, log_layout, NULL);
}

static gboolean on_configure(GtkWidget *w, GdkEvent *e, gpointer data) {
    (void)w; (void)e; (void)data;
    schedule_layout();
    return FALSE;
}

static void on_map(GtkWidget *w, gpointer data) { (void)w; (void)data; schedule_layout(); }

static void on_clicked(GtkWidget *w, gpointer data) {
    (void)w;
    fputs("{\"event\":\"click\",\"name\":", logf);
    json_string((const char *)data);
    fputs("}\n", logf);
    fflush(logf);
}

static void on_changed(GtkEditable *e, gpointer data) {
    fputs("{\"event\":\"changed\",\"name\":", logf);
    json_string((const char *)data);
    fputs(",\"text\":", logf);
    gchar *text = gtk_editable_get_chars(e, 0, -1);
    json_string(text);
    g_free(text);
    fputs("}\n", logf);
    fflush(logf);
}

static gboolean on_press(GtkWidget *w, GdkEventButton *e, gpointer data) {
    (void)w; (void)e;
    on_clicked(NULL, data);
    return FALSE;
}

int main(int argc, char **argv) {
    const char *log_path = NULL, *title = "deskpilot GTK fixture";
    int extra = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--log") && i + 1 < argc) log_path = argv[++i];
        else if (!strcmp(argv[i], "--title") && i + 1 < argc) title = argv[++i];
        else if (!strcmp(argv[i], "--extra") && i + 1 < argc) extra = atoi(argv[++i]);
    }
    if (extra < 0 || extra > 2000) { fprintf(stderr, "--extra wants 0 to 2000\n"); return 2; }
    if (!log_path) { fprintf(stderr, "usage: deskpilot-gtk-fixture --log FILE [--title T]\n"); return 2; }
    logf = fopen(log_path, "a");
    if (!logf) { perror(log_path); return 2; }
    // Only our own arguments: GTK would reject --log.
    int gargc = 1;
    gtk_init(&gargc, &argv);

    window = gtk_window_new(GTK_WINDOW_TOPLEVEL);
    gtk_window_set_title(GTK_WINDOW(window), title);
    gtk_window_set_default_size(GTK_WINDOW(window), 760, 420);
    g_signal_connect(window, "destroy", G_CALLBACK(gtk_main_quit), NULL);
    g_signal_connect(window, "configure-event", G_CALLBACK(on_configure), NULL);
    g_signal_connect(window, "map", G_CALLBACK(on_map), NULL);

    GtkWidget *grid = gtk_grid_new();
    gtk_grid_set_row_spacing(GTK_GRID(grid), 6);
    gtk_grid_set_column_spacing(GTK_GRID(grid), 6);
    gtk_container_set_border_width(GTK_CONTAINER(grid), 10);
    gtk_container_add(GTK_CONTAINER(window), grid);

    GSList *radios = NULL;
    int col = 0, row = 0;
    for (size_t i = 0; i < NSPECS; i++) {
        const Spec *s = &specs[i];
        GtkWidget *w = NULL;
        int span = 1;
        if (!strcmp(s->kind, "button")) w = gtk_button_new_with_label(s->name);
        else if (!strcmp(s->kind, "toggle")) w = gtk_toggle_button_new_with_label(s->name);
        else if (!strcmp(s->kind, "check")) { w = gtk_check_button_new_with_label(s->name); span = 2; }
        else if (!strcmp(s->kind, "radio")) {
            w = gtk_radio_button_new_with_label(radios, s->name);
            radios = gtk_radio_button_get_group(GTK_RADIO_BUTTON(w));
        } else if (!strcmp(s->kind, "icon")) {
            w = gtk_button_new_from_icon_name(s->icon, GTK_ICON_SIZE_BUTTON);
            atk_object_set_name(gtk_widget_get_accessible(w), s->name);
        } else if (!strcmp(s->kind, "entry")) {
            // A label beside it, joined by the labelled-by relation, and the name set as well.
            GtkWidget *label = gtk_label_new(s->name);
            gtk_grid_attach(GTK_GRID(grid), label, 0, 100 + (int)i, 1, 1);
            w = gtk_entry_new();
            gtk_label_set_mnemonic_widget(GTK_LABEL(label), w);
            atk_object_set_name(gtk_widget_get_accessible(w), s->name);
            g_signal_connect(w, "changed", G_CALLBACK(on_changed), (gpointer)s->name);
            g_signal_connect(w, "button-press-event", G_CALLBACK(on_press), (gpointer)s->name);
            gtk_grid_attach(GTK_GRID(grid), w, 1, 100 + (int)i, 4, 1);
            widgets[i] = w;
            continue;
        } else if (!strcmp(s->kind, "spin")) {
            w = gtk_spin_button_new_with_range(0, 100, 1);
            atk_object_set_name(gtk_widget_get_accessible(w), s->name);
            gtk_grid_attach(GTK_GRID(grid), w, 5, 100, 2, 1);
            widgets[i] = w;
            continue;
        } else if (!strcmp(s->kind, "scale")) {
            w = gtk_scale_new_with_range(GTK_ORIENTATION_HORIZONTAL, 0, 100, 1);
            gtk_widget_set_size_request(w, 160, -1);
            atk_object_set_name(gtk_widget_get_accessible(w), s->name);
            gtk_grid_attach(GTK_GRID(grid), w, 5, 101, 3, 1);
            widgets[i] = w;
            continue;
        }
        g_signal_connect(w, "clicked", G_CALLBACK(on_clicked), (gpointer)s->name);
        if (col + span > 8) { col = 0; row++; }
        gtk_grid_attach(GTK_GRID(grid), w, col, row, span, 1);
        col += span;
        widgets[i] = w;
    }

    // Extra buttons for benchmarks: 24 to a row, below everything else.
    for (int k = 0; k < extra; k++) {
        char name[32];
        snprintf(name, sizeof name, "Extra %d", k + 1);
        GtkWidget *b = gtk_button_new_with_label(name);
        gtk_grid_attach(GTK_GRID(grid), b, k % 24, 300 + k / 24, 1, 1);
    }

    gtk_widget_show_all(window);
    gtk_main();
    fclose(logf);
    return 0;
}

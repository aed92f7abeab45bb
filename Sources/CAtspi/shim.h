// The one C header deskpilot reads from libatspi (AT-SPI over D-Bus). Only DeskA11y imports it.
#include <atspi/atspi.h>
#include <glib.h>
#include <glib-object.h>
#include <stdlib.h>

// GLib macros Swift cannot import.
static inline guint deskpilot_garray_len(GArray *array) { return array ? array->len : 0; }
static inline gint deskpilot_garray_int_at(GArray *array, guint i) { return g_array_index(array, gint, i); }
static inline const gchar *deskpilot_garray_string_at(GArray *array, guint i) { return g_array_index(array, gchar *, i); }
static inline void deskpilot_gobject_unref(void *object) { if (object) g_object_unref(object); }
static inline void deskpilot_clear_error(GError **error) { if (error && *error) { g_error_free(*error); *error = NULL; } }

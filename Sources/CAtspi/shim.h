// The one C header deskpilot reads from libatspi (AT-SPI over D-Bus). Only DeskA11y imports it.
#include <atspi/atspi.h>
#include <dbus/dbus.h>
#include <glib.h>
#include <glib-object.h>
#include <stdlib.h>

// GLib macros Swift cannot import.
static inline guint deskpilot_garray_len(GArray *array) { return array ? array->len : 0; }
static inline gint deskpilot_garray_int_at(GArray *array, guint i) { return g_array_index(array, gint, i); }
static inline const gchar *deskpilot_garray_string_at(GArray *array, guint i) { return g_array_index(array, gchar *, i); }
static inline void deskpilot_gobject_unref(void *object) { if (object) g_object_unref(object); }
static inline void deskpilot_clear_error(GError **error) { if (error && *error) { g_error_free(*error); *error = NULL; } }

// libdbus on libatspi's own accessibility-bus connection (`atspi_get_a11y_bus`), for bulk reads: the
// type codes as plain ints (Swift cannot import the casting macros), and the few calls with varargs or
// string out-parameters wrapped.
static const int deskpilot_dbus_type_invalid = DBUS_TYPE_INVALID;
static const int deskpilot_dbus_type_array = DBUS_TYPE_ARRAY;
static const int deskpilot_dbus_type_struct = DBUS_TYPE_STRUCT;
static const int deskpilot_dbus_type_variant = DBUS_TYPE_VARIANT;
static const int deskpilot_dbus_type_string = DBUS_TYPE_STRING;
static const int deskpilot_dbus_type_object_path = DBUS_TYPE_OBJECT_PATH;
static const int deskpilot_dbus_type_int32 = DBUS_TYPE_INT32;
static const int deskpilot_dbus_type_uint32 = DBUS_TYPE_UINT32;
static const int deskpilot_dbus_type_double = DBUS_TYPE_DOUBLE;
static const int deskpilot_dbus_message_type_error = DBUS_MESSAGE_TYPE_ERROR;

static inline dbus_bool_t deskpilot_dbus_append_string(DBusMessageIter *iter, const char *value) {
    return dbus_message_iter_append_basic(iter, DBUS_TYPE_STRING, &value);
}
static inline dbus_bool_t deskpilot_dbus_append_int32(DBusMessageIter *iter, dbus_int32_t value) {
    return dbus_message_iter_append_basic(iter, DBUS_TYPE_INT32, &value);
}
static inline dbus_bool_t deskpilot_dbus_append_uint32(DBusMessageIter *iter, dbus_uint32_t value) {
    return dbus_message_iter_append_basic(iter, DBUS_TYPE_UINT32, &value);
}
static inline const char *deskpilot_dbus_get_string(DBusMessageIter *iter) {
    const char *value = NULL;
    dbus_message_iter_get_basic(iter, &value);
    return value;
}
static inline dbus_int32_t deskpilot_dbus_get_int32(DBusMessageIter *iter) {
    dbus_int32_t value = 0;
    dbus_message_iter_get_basic(iter, &value);
    return value;
}
static inline dbus_uint32_t deskpilot_dbus_get_uint32(DBusMessageIter *iter) {
    dbus_uint32_t value = 0;
    dbus_message_iter_get_basic(iter, &value);
    return value;
}
static inline double deskpilot_dbus_get_double(DBusMessageIter *iter) {
    double value = 0;
    dbus_message_iter_get_basic(iter, &value);
    return value;
}
/// The D-Bus name of the application an accessible belongs to (libatspi's own field; no call).
static inline const char *deskpilot_atspi_bus_name(AtspiAccessible *accessible) {
    return (accessible && accessible->parent.app) ? accessible->parent.app->bus_name : NULL;
}

// GTK3, for the accessibility test fixture (deskpilot-gtk-fixture, plain C) only; no Swift module imports it.
#include <gtk/gtk.h>

// The one C header deskpilot reads from Xlib and its extensions. Only DeskX11 imports it.
#define XUTIL_DEFINE_FUNCTIONS 1
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/Xatom.h>
#include <X11/keysym.h>
#include <X11/XKBlib.h>
#include <X11/extensions/XKB.h>
#include <X11/extensions/XKBstr.h>
#include <X11/extensions/XShm.h>
#include <X11/extensions/XTest.h>
#include <X11/extensions/record.h>
#include <X11/extensions/Xrandr.h>
#include <X11/extensions/Xfixes.h>
#include <X11/extensions/Xdamage.h>
#include <X11/extensions/XInput.h>
#include <X11/extensions/XInput2.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/prctl.h>
#include <signal.h>
#include <string.h>

static const unsigned long CX11AllPlanes = AllPlanes;

// XkbKeyNumGroups and friends are macros over XkbDescRec; Swift cannot import them.
static inline int cx11_key_num_groups(XkbDescPtr xkb, int keycode) { return XkbKeyNumGroups(xkb, keycode); }
static inline int cx11_key_group_width(XkbDescPtr xkb, int keycode, int group) { return XkbKeyGroupWidth(xkb, keycode, group); }
static inline KeySym cx11_key_sym_entry(XkbDescPtr xkb, int keycode, int level, int group) { return XkbKeySymEntry(xkb, keycode, level, group); }
static inline XkbKeyTypePtr cx11_key_key_type(XkbDescPtr xkb, int keycode, int group) { return XkbKeyKeyType(xkb, keycode, group); }
static inline int cx11_key_has_actions(XkbDescPtr xkb, int keycode) { return XkbKeyHasActions(xkb, keycode); }
static inline XkbAction *cx11_key_action_entry(XkbDescPtr xkb, int keycode, int level, int group) { return XkbKeyActionEntry(xkb, keycode, level, group); }
static inline int cx11_key_group_info(XkbDescPtr xkb, int keycode) { return XkbKeyGroupInfo(xkb, keycode); }
// Added for input (KeyboardMap): a key's type index per group, its symbol array for writing after
// XkbChangeTypesOfKey, and its 4-character XKB name.
static inline int cx11_key_type_index(XkbDescPtr xkb, int keycode, int group) { return XkbKeyKeyTypeIndex(xkb, keycode, group); }
static inline KeySym *cx11_key_syms_ptr(XkbDescPtr xkb, int keycode) { return XkbKeySymsPtr(xkb, keycode); }
static inline void cx11_key_name(XkbDescPtr xkb, int keycode, char out[5]) {
    out[0] = 0;
    if (!xkb->names || !xkb->names->keys) return;
    memcpy(out, xkb->names->keys[keycode].name, 4);
    out[4] = 0;
}

// Kill a child when its parent dies (used by the Xvfb launcher between fork and exec).
static inline int cx11_set_parent_death_signal(int sig) { return prctl(PR_SET_PDEATHSIG, sig); }

#include <spawn.h>
#include <sys/wait.h>
// posix_spawn's file actions and attributes are opaque structs the importer handles, but the
// flag macros are plain ints; nothing else is needed here.

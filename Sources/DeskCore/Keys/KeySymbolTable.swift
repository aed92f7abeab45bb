// Generated from /usr/include/X11/keysymdef.h (sections XK_MISCELLANY, XK_XKB_KEYS, XK_LATIN1) and
// /usr/include/X11/XF86keysym.h (every XF86XK_* name with a value) by:
//   awk '/^#ifdef XK_MISCELLANY/,/^#endif/' keysymdef.h … | grep -oE '^#define XK_[A-Za-z0-9_]+\s+0x' …
// Regenerate only if a keysym people write in chords is missing; names outside this table can still be
// reached as Unicode keysyms (`U20AC`) or single characters.

/// The X keysym names deskpilot accepts in key chords, spelled exactly as `XStringToKeysym` wants them.
///
/// DeskCore cannot call Xlib, so chords are validated against this table; the X11 layer resolves the
/// same names with `XStringToKeysym`.
public enum KeySymbolTable {
    /// Every known keysym name (case-significant: `a` and `A` are different keysyms).
    public static let names: [String] = [
        "BackSpace", "Tab", "Linefeed", "Clear", "Return", "Pause", "Scroll_Lock", "Sys_Req", "Escape", "Delete",
        "Multi_key", "Codeinput", "SingleCandidate", "MultipleCandidate", "PreviousCandidate", "Kanji", "Muhenkan",
        "Henkan_Mode", "Henkan", "Romaji", "Hiragana", "Katakana", "Hiragana_Katakana", "Zenkaku", "Hankaku",
        "Zenkaku_Hankaku", "Touroku", "Massyo", "Kana_Lock", "Kana_Shift", "Eisu_Shift", "Eisu_toggle",
        "Kanji_Bangou", "Zen_Koho", "Mae_Koho", "Home", "Left", "Up", "Right", "Down", "Prior", "Page_Up", "Next",
        "Page_Down", "End", "Begin", "Select", "Print", "Execute", "Insert", "Undo", "Redo", "Menu", "Find",
        "Cancel", "Help", "Break", "Mode_switch", "script_switch", "Num_Lock", "KP_Space", "KP_Tab", "KP_Enter",
        "KP_F1", "KP_F2", "KP_F3", "KP_F4", "KP_Home", "KP_Left", "KP_Up", "KP_Right", "KP_Down", "KP_Prior",
        "KP_Page_Up", "KP_Next", "KP_Page_Down", "KP_End", "KP_Begin", "KP_Insert", "KP_Delete", "KP_Equal",
        "KP_Multiply", "KP_Add", "KP_Separator", "KP_Subtract", "KP_Decimal", "KP_Divide", "KP_0", "KP_1", "KP_2",
        "KP_3", "KP_4", "KP_5", "KP_6", "KP_7", "KP_8", "KP_9", "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8",
        "F9", "F10", "F11", "L1", "F12", "L2", "F13", "L3", "F14", "L4", "F15", "L5", "F16", "L6", "F17", "L7",
        "F18", "L8", "F19", "L9", "F20", "L10", "F21", "R1", "F22", "R2", "F23", "R3", "F24", "R4", "F25", "R5",
        "F26", "R6", "F27", "R7", "F28", "R8", "F29", "R9", "F30", "R10", "F31", "R11", "F32", "R12", "F33", "R13",
        "F34", "R14", "F35", "R15", "Shift_L", "Shift_R", "Control_L", "Control_R", "Caps_Lock", "Shift_Lock",
        "Meta_L", "Meta_R", "Alt_L", "Alt_R", "Super_L", "Super_R", "Hyper_L", "Hyper_R", "ISO_Lock",
        "ISO_Level2_Latch", "ISO_Level3_Shift", "ISO_Level3_Latch", "ISO_Level3_Lock", "ISO_Level5_Shift",
        "ISO_Level5_Latch", "ISO_Level5_Lock", "ISO_Group_Shift", "ISO_Group_Latch", "ISO_Group_Lock",
        "ISO_Next_Group", "ISO_Next_Group_Lock", "ISO_Prev_Group", "ISO_Prev_Group_Lock", "ISO_First_Group",
        "ISO_First_Group_Lock", "ISO_Last_Group", "ISO_Last_Group_Lock", "ISO_Left_Tab", "ISO_Move_Line_Up",
        "ISO_Move_Line_Down", "ISO_Partial_Line_Up", "ISO_Partial_Line_Down", "ISO_Partial_Space_Left",
        "ISO_Partial_Space_Right", "ISO_Set_Margin_Left", "ISO_Set_Margin_Right", "ISO_Release_Margin_Left",
        "ISO_Release_Margin_Right", "ISO_Release_Both_Margins", "ISO_Fast_Cursor_Left", "ISO_Fast_Cursor_Right",
        "ISO_Fast_Cursor_Up", "ISO_Fast_Cursor_Down", "ISO_Continuous_Underline", "ISO_Discontinuous_Underline",
        "ISO_Emphasize", "ISO_Center_Object", "ISO_Enter", "dead_grave", "dead_acute", "dead_circumflex",
        "dead_tilde", "dead_perispomeni", "dead_macron", "dead_breve", "dead_abovedot", "dead_diaeresis",
        "dead_abovering", "dead_doubleacute", "dead_caron", "dead_cedilla", "dead_ogonek", "dead_iota",
        "dead_voiced_sound", "dead_semivoiced_sound", "dead_belowdot", "dead_hook", "dead_horn", "dead_stroke",
        "dead_abovecomma", "dead_psili", "dead_abovereversedcomma", "dead_dasia", "dead_doublegrave",
        "dead_belowring", "dead_belowmacron", "dead_belowcircumflex", "dead_belowtilde", "dead_belowbreve",
        "dead_belowdiaeresis", "dead_invertedbreve", "dead_belowcomma", "dead_currency", "dead_lowline",
        "dead_aboveverticalline", "dead_belowverticalline", "dead_longsolidusoverlay", "dead_a", "dead_A", "dead_e",
        "dead_E", "dead_i", "dead_I", "dead_o", "dead_O", "dead_u", "dead_U", "dead_small_schwa",
        "dead_capital_schwa", "dead_greek", "First_Virtual_Screen", "Prev_Virtual_Screen", "Next_Virtual_Screen",
        "Last_Virtual_Screen", "Terminate_Server", "AccessX_Enable", "AccessX_Feedback_Enable", "RepeatKeys_Enable",
        "SlowKeys_Enable", "BounceKeys_Enable", "StickyKeys_Enable", "MouseKeys_Enable", "MouseKeys_Accel_Enable",
        "Overlay1_Enable", "Overlay2_Enable", "AudibleBell_Enable", "Pointer_Left", "Pointer_Right", "Pointer_Up",
        "Pointer_Down", "Pointer_UpLeft", "Pointer_UpRight", "Pointer_DownLeft", "Pointer_DownRight",
        "Pointer_Button_Dflt", "Pointer_Button1", "Pointer_Button2", "Pointer_Button3", "Pointer_Button4",
        "Pointer_Button5", "Pointer_DblClick_Dflt", "Pointer_DblClick1", "Pointer_DblClick2", "Pointer_DblClick3",
        "Pointer_DblClick4", "Pointer_DblClick5", "Pointer_Drag_Dflt", "Pointer_Drag1", "Pointer_Drag2",
        "Pointer_Drag3", "Pointer_Drag4", "Pointer_Drag5", "Pointer_EnableKeys", "Pointer_Accelerate",
        "Pointer_DfltBtnNext", "Pointer_DfltBtnPrev", "ch", "Ch", "CH", "c_h", "C_h", "C_H", "space", "exclam",
        "quotedbl", "numbersign", "dollar", "percent", "ampersand", "apostrophe", "quoteright", "parenleft",
        "parenright", "asterisk", "plus", "comma", "minus", "period", "slash", "0", "1", "2", "3", "4", "5", "6",
        "7", "8", "9", "colon", "semicolon", "less", "equal", "greater", "question", "at", "A", "B", "C", "D", "E",
        "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R", "S", "T", "U", "V", "W", "X", "Y", "Z",
        "bracketleft", "backslash", "bracketright", "asciicircum", "underscore", "grave", "quoteleft", "a", "b",
        "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "w",
        "x", "y", "z", "braceleft", "bar", "braceright", "asciitilde", "nobreakspace", "exclamdown", "cent",
        "sterling", "currency", "yen", "brokenbar", "section", "diaeresis", "copyright", "ordfeminine",
        "guillemotleft", "notsign", "hyphen", "registered", "macron", "degree", "plusminus", "twosuperior",
        "threesuperior", "acute", "mu", "paragraph", "periodcentered", "cedilla", "onesuperior", "masculine",
        "guillemotright", "onequarter", "onehalf", "threequarters", "questiondown", "Agrave", "Aacute",
        "Acircumflex", "Atilde", "Adiaeresis", "Aring", "AE", "Ccedilla", "Egrave", "Eacute", "Ecircumflex",
        "Ediaeresis", "Igrave", "Iacute", "Icircumflex", "Idiaeresis", "ETH", "Eth", "Ntilde", "Ograve", "Oacute",
        "Ocircumflex", "Otilde", "Odiaeresis", "multiply", "Oslash", "Ooblique", "Ugrave", "Uacute", "Ucircumflex",
        "Udiaeresis", "Yacute", "THORN", "Thorn", "ssharp", "agrave", "aacute", "acircumflex", "atilde",
        "adiaeresis", "aring", "ae", "ccedilla", "egrave", "eacute", "ecircumflex", "ediaeresis", "igrave",
        "iacute", "icircumflex", "idiaeresis", "eth", "ntilde", "ograve", "oacute", "ocircumflex", "otilde",
        "odiaeresis", "division", "oslash", "ooblique", "ugrave", "uacute", "ucircumflex", "udiaeresis", "yacute",
        "thorn", "ydiaeresis", "XF86ModeLock", "XF86MonBrightnessUp", "XF86MonBrightnessDown", "XF86KbdLightOnOff",
        "XF86KbdBrightnessUp", "XF86KbdBrightnessDown", "XF86MonBrightnessCycle", "XF86Standby",
        "XF86AudioLowerVolume", "XF86AudioMute", "XF86AudioRaiseVolume", "XF86AudioPlay", "XF86AudioStop",
        "XF86AudioPrev", "XF86AudioNext", "XF86HomePage", "XF86Mail", "XF86Start", "XF86Search", "XF86AudioRecord",
        "XF86Calculator", "XF86Memo", "XF86ToDoList", "XF86Calendar", "XF86PowerDown", "XF86ContrastAdjust",
        "XF86RockerUp", "XF86RockerDown", "XF86RockerEnter", "XF86Back", "XF86Forward", "XF86Stop", "XF86Refresh",
        "XF86PowerOff", "XF86WakeUp", "XF86Eject", "XF86ScreenSaver", "XF86WWW", "XF86Sleep", "XF86Favorites",
        "XF86AudioPause", "XF86AudioMedia", "XF86MyComputer", "XF86VendorHome", "XF86LightBulb", "XF86Shop",
        "XF86History", "XF86OpenURL", "XF86AddFavorite", "XF86HotLinks", "XF86BrightnessAdjust", "XF86Finance",
        "XF86Community", "XF86AudioRewind", "XF86BackForward", "XF86Launch0", "XF86Launch1", "XF86Launch2",
        "XF86Launch3", "XF86Launch4", "XF86Launch5", "XF86Launch6", "XF86Launch7", "XF86Launch8", "XF86Launch9",
        "XF86LaunchA", "XF86LaunchB", "XF86LaunchC", "XF86LaunchD", "XF86LaunchE", "XF86LaunchF",
        "XF86ApplicationLeft", "XF86ApplicationRight", "XF86Book", "XF86CD", "XF86Calculater", "XF86Clear",
        "XF86Close", "XF86Copy", "XF86Cut", "XF86Display", "XF86DOS", "XF86Documents", "XF86Excel", "XF86Explorer",
        "XF86Game", "XF86Go", "XF86iTouch", "XF86LogOff", "XF86Market", "XF86Meeting", "XF86MenuKB", "XF86MenuPB",
        "XF86MySites", "XF86New", "XF86News", "XF86OfficeHome", "XF86Open", "XF86Option", "XF86Paste", "XF86Phone",
        "XF86Q", "XF86Reply", "XF86Reload", "XF86RotateWindows", "XF86RotationPB", "XF86RotationKB", "XF86Save",
        "XF86ScrollUp", "XF86ScrollDown", "XF86ScrollClick", "XF86Send", "XF86Spell", "XF86SplitScreen",
        "XF86Support", "XF86TaskPane", "XF86Terminal", "XF86Tools", "XF86Travel", "XF86UserPB", "XF86User1KB",
        "XF86User2KB", "XF86Video", "XF86WheelButton", "XF86Word", "XF86Xfer", "XF86ZoomIn", "XF86ZoomOut",
        "XF86Away", "XF86Messenger", "XF86WebCam", "XF86MailForward", "XF86Pictures", "XF86Music", "XF86Battery",
        "XF86Bluetooth", "XF86WLAN", "XF86UWB", "XF86AudioForward", "XF86AudioRepeat", "XF86AudioRandomPlay",
        "XF86Subtitle", "XF86AudioCycleTrack", "XF86CycleAngle", "XF86FrameBack", "XF86FrameForward", "XF86Time",
        "XF86Select", "XF86View", "XF86TopMenu", "XF86Red", "XF86Green", "XF86Yellow", "XF86Blue", "XF86Suspend",
        "XF86Hibernate", "XF86TouchpadToggle", "XF86TouchpadOn", "XF86TouchpadOff", "XF86AudioMicMute",
        "XF86Keyboard", "XF86WWAN", "XF86RFKill", "XF86AudioPreset", "XF86RotationLockToggle", "XF86FullScreen",
        "XF86Switch_VT_1", "XF86Switch_VT_2", "XF86Switch_VT_3", "XF86Switch_VT_4", "XF86Switch_VT_5",
        "XF86Switch_VT_6", "XF86Switch_VT_7", "XF86Switch_VT_8", "XF86Switch_VT_9", "XF86Switch_VT_10",
        "XF86Switch_VT_11", "XF86Switch_VT_12", "XF86Ungrab", "XF86ClearGrab", "XF86Next_VMode", "XF86Prev_VMode",
        "XF86LogWindowTree", "XF86LogGrabInfo",
    ]

    /// `names` and the script keysyms as a set, for exact lookups.
    public static let nameSet: Set<String> = Set(names + scriptKeysyms.map(\.name))

    /// `names` alone as a set: lookups try it before the script keysyms (see ``isScriptName(_:)``).
    static let coreNameSet: Set<String> = Set(names)

    /// Lowercased name → the names in `names` that lowercase to it.
    static let coreByLowercase: [String: [String]] = Dictionary(grouping: names, by: { $0.lowercased() })

    /// True when `name` is a known keysym name, asking the script keysyms only when `names` lacks it.
    static func isName(_ name: String) -> Bool { coreNameSet.contains(name) || isScriptName(name) }

    /// The canonical spelling of the known keysym name `name`: names in `names` have only the base synonyms,
    /// so the script table is read only for a script keysym.
    static func canonical(_ name: String) -> String {
        coreNameSet.contains(name) ? baseSynonyms[name] ?? name : synonyms[name] ?? name
    }

    /// Lowercased name → the names that lowercase to it (more than one for letters and a few Latin-1 pairs).
    static let byLowercase: [String: [String]] = Dictionary(grouping: names + scriptKeysyms.map(\.name),
                                                            by: { $0.lowercased() })

    /// What the script keysyms type (`Cyrillic_shorti` types `й`).
    static let scriptCharacters: [String: Character] = Dictionary(
        scriptKeysyms.compactMap { entry in entry.character.map { (entry.name, $0) } }, uniquingKeysWith: { a, _ in a })

    /// Names that are another spelling of the same keysym value, mapped to the spelling `XKeysymToString`
    /// returns (`Page_Up` is `Prior`), so one key has one canonical name in chords, traces and policies.
    public static let synonyms: [String: String] = baseSynonyms.merging(
        scriptKeysyms.filter { $0.canonical != $0.name }.map { ($0.name, $0.canonical) }, uniquingKeysWith: { a, _ in a })

    private static let baseSynonyms: [String: String] = [
        "Henkan": "Henkan_Mode", "Kanji_Bangou": "Codeinput", "Zen_Koho": "MultipleCandidate",
        "Mae_Koho": "PreviousCandidate", "Page_Up": "Prior", "Page_Down": "Next", "script_switch": "Mode_switch",
        "KP_Page_Up": "KP_Prior", "KP_Page_Down": "KP_Next", "L1": "F11", "L2": "F12", "L3": "F13", "L4": "F14",
        "L5": "F15", "L6": "F16", "L7": "F17", "L8": "F18", "L9": "F19", "L10": "F20", "R1": "F21", "R2": "F22",
        "R3": "F23", "R4": "F24", "R5": "F25", "R6": "F26", "R7": "F27", "R8": "F28", "R9": "F29", "R10": "F30",
        "R11": "F31", "R12": "F32", "R13": "F33", "R14": "F34", "R15": "F35", "ISO_Group_Shift": "Mode_switch",
        "dead_perispomeni": "dead_tilde", "dead_psili": "dead_abovecomma", "dead_dasia": "dead_abovereversedcomma",
        "quoteright": "apostrophe", "quoteleft": "grave", "Eth": "ETH", "Ooblique": "Oslash", "Thorn": "THORN",
        "ooblique": "oslash",
    ]
}

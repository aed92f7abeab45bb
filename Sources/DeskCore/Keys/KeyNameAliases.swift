/// The friendly spellings of keys that people and models write, mapped to canonical X keysym names.
///
/// Lookups are by lowercased spelling. The list covers UI-TARS / nut-js (`arrowup`, `pagedown`, `cmd`),
/// pyautogui (`ctrlleft`, `volumemute`, `prtsc`) and xdotool (`ctrl`, `super`, `enter`) vocabularies, so a
/// model's `hotkey(key='ctrl c')` or a task's `key: Ctrl+Alt+Delete` mean what their authors meant.
public enum KeyNameAliases {
    /// Lowercased alias → canonical keysym name.
    public static let aliases: [String: String] = {
        var table: [String: String] = [:]
        func add(_ keysym: String, _ names: String...) {
            for name in names { table[name] = keysym }
        }
        add("Return", "enter", "return", "ret", "cr")
        add("Escape", "esc", "escape")
        add("Up", "up", "arrowup", "arrow_up", "uparrow")
        add("Down", "down", "arrowdown", "arrow_down", "downarrow")
        add("Left", "left", "arrowleft", "arrow_left", "leftarrow")
        add("Right", "right", "arrowright", "arrow_right", "rightarrow")
        add("Prior", "pageup", "page_up", "pgup", "prior")
        add("Next", "pagedown", "page_down", "pgdn", "next")
        add("Home", "home")
        add("End", "end")
        add("Insert", "insert", "ins")
        add("Delete", "delete", "del")
        add("BackSpace", "backspace", "back_space", "bksp")
        add("Tab", "tab")
        add("space", "space", "spacebar", "spc")
        add("Super_L", "super", "win", "windows", "meta", "cmd", "command", "logo",
            "lsuper", "lwin", "winleft", "leftwin", "super_l")
        add("Super_R", "rsuper", "rwin", "winright", "rightwin", "super_r")
        add("Control_L", "ctrl", "control", "ctl", "lctrl", "ctrlleft", "leftctrl", "ctrl_l", "control_l")
        add("Control_R", "rctrl", "ctrlright", "rightctrl", "ctrl_r", "control_r")
        add("Alt_L", "alt", "option", "opt", "lalt", "altleft", "leftalt", "alt_l")
        add("Alt_R", "ralt", "altright", "rightalt", "alt_r")
        add("ISO_Level3_Shift", "altgr", "alt_gr")
        add("Shift_L", "shift", "lshift", "shiftleft", "leftshift", "shift_l")
        add("Shift_R", "rshift", "shiftright", "rightshift", "shift_r")
        add("Caps_Lock", "capslock", "caps_lock", "caps")
        add("Num_Lock", "numlock", "num_lock")
        add("Scroll_Lock", "scrolllock", "scroll_lock")
        add("Print", "printscreen", "print_screen", "print", "prtsc", "prtscr", "prntscrn")
        add("Menu", "menu", "apps", "contextmenu", "context_menu")
        add("Pause", "pause")
        add("minus", "minus", "dash")
        add("equal", "equal", "equals")
        add("grave", "grave", "backquote", "backtick")
        add("apostrophe", "apostrophe", "quote")
        add("quotedbl", "doublequote")
        add("period", "period", "dot")
        add("XF86AudioMute", "volumemute", "mute")
        add("XF86AudioRaiseVolume", "volumeup")
        add("XF86AudioLowerVolume", "volumedown")
        add("XF86AudioPlay", "playpause")
        add("XF86AudioNext", "nexttrack")
        add("XF86AudioPrev", "prevtrack")
        return table
    }()

    /// Printable ASCII characters other than letters and digits, as the keysym that types them.
    /// A chord may name them directly (`ctrl+-`, `ctrl++`, `shift+/`).
    public static let punctuation: [Character: String] = [
        "!": "exclam", "\"": "quotedbl", "#": "numbersign", "$": "dollar", "%": "percent", "&": "ampersand",
        "'": "apostrophe", "(": "parenleft", ")": "parenright", "*": "asterisk", "+": "plus", ",": "comma",
        "-": "minus", ".": "period", "/": "slash", ":": "colon", ";": "semicolon", "<": "less", "=": "equal",
        ">": "greater", "?": "question", "@": "at", "[": "bracketleft", "\\": "backslash", "]": "bracketright",
        "^": "asciicircum", "_": "underscore", "`": "grave", "{": "braceleft", "|": "bar", "}": "braceright",
        "~": "asciitilde",
    ]

    /// The character each punctuation keysym types (the reverse of ``punctuation``).
    public static let characterForKeysym: [String: Character] = {
        var table: [String: Character] = [:]
        for (character, keysym) in punctuation { table[keysym] = character }
        table["space"] = " "
        table["Return"] = "\n"
        table["KP_Enter"] = "\n"
        table["Tab"] = "\t"
        table["KP_Space"] = " "
        table["KP_Add"] = "+"
        table["KP_Subtract"] = "-"
        table["KP_Multiply"] = "*"
        table["KP_Divide"] = "/"
        table["KP_Decimal"] = "."
        table["KP_Equal"] = "="
        for digit in 0...9 { table["KP_\(digit)"] = Character(String(digit)) }
        return table
    }()
}

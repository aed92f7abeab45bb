// The compiled-in policies: byte-for-byte copies of policies/*.yaml, so deskpilot works outside the
// repository. Tests/DeskConfigTests/BuiltinPolicyTests.swift fails when a copy differs from its file.
// After editing a policy file, regenerate this file from the repository root with:
//
//   { sed -n '1,/^    \/\/ Generated below/p' Sources/DeskConfig/BuiltinPolicies.swift
//     for n in default strict permissive; do printf '    static let %sYAML = #"""\n' "$n"
//       cat "policies/$n.yaml"; printf '\n"""#\n\n'; done; echo '}'; } > /tmp/bp && mv /tmp/bp Sources/DeskConfig/BuiltinPolicies.swift
//
// (The YAML must not contain the two characters backslash-hash, which a #"""-string reads as an escape.)

/// The policies compiled into deskpilot, as YAML text parsed by ``PolicyLoader`` like any file.
enum BuiltinPolicies {
    /// Name → YAML text.
    static var yaml: [String: String] { ["default": defaultYAML, "strict": strictYAML, "permissive": permissiveYAML] }

    // Generated below this line.
    static let defaultYAML = #"""
# deskpilot policy: default
#
# Used by every run driven by a model or a task when no --policy is given. Sensible for an
# unattended agent: generous limits, no confirmation prompts (nobody may be there to answer),
# session-ending key chords and destructive shell commands blocked. deskpilot carries a copy of
# this file compiled in (Sources/DeskConfig/BuiltinPolicies.swift); a test keeps the two
# identical. Every field is described in docs/policy-format.md.

# A short name for traces.
name: default
description: Unattended agent runs; blocks session-ending chords and destructive shell commands.

# Everything the permissive policy refuses stays refused (session-ending chords, its redactions); this
# file only adds rules and tightens limits. A policy of your own can extend this one the same way.
extends: permissive

# Caps on one run. Where the command line sets the same limit, the stricter value wins.
limits:
  max_steps: 100               # model (or script) steps; reaching it ends the run with exit 1
  max_duration: 30m            # wall-clock time; reaching it ends the run with exit 1
  max_actions_per_minute: 120  # faster actions are delayed, not refused
  max_typed_characters: 20000  # characters typed in the whole run

# Which kinds of action may run (click, double_click, triple_click, right_click, middle_click,
# move, drag, scroll, key, press, release, mouse_down, mouse_up, type, wait).
actions:
  deny: []                     # nothing is refused by kind

# Key chords, matched by modifier class in any order and case (ctrl+alt+del = Alt_R+Control_L+Delete);
# a chord matches when it holds at least the listed modifiers. Wildcards: * and ? in the key.
# Added to permissive's (ctrl+alt+backspace, terminate_server, ctrl+alt+f*, xf86switch_vt_*,
# sys_req, alt+print).
keys:
  deny:
    - ctrl+alt+delete          # logout and reboot dialogs
    - super+l                  # lock the screen
    - ctrl+alt+l               # lock the screen (some desktops)
    - xf86screensaver
    - xf86logoff
    - xf86poweroff
    - xf86sleep
    - xf86suspend
    - xf86hibernate
    - xf86ungrab               # break pointer and keyboard grabs
    - xf86cleargrab

# Patterns (case-insensitive regular expressions) that the text typed into a window must not
# form. Checked after folding look-alikes (fullwidth letters, Cyrillic and Greek letters that
# look Latin, odd dashes and spaces) and over the recent stream of what was typed into the same
# window, so a command split over several type or key actions is still caught.
text:
  stream_length: 512           # characters of history kept per window
  deny:
    - pattern: '\brm\b(?=[^\n;&|]*\s(?:-[a-z]*r|--recursive))(?=[^\n;&|]*\s(?:-[a-z]*f|--force))[^\n;&|]*'
      reason: recursive forced delete (rm -rf)
    - pattern: '\b(?:sudo|doas|pkexec)\b'
      reason: running commands as root
    - pattern: '\bmkfs(?:\.[a-z0-9]+)?\b'
      reason: formatting a file system (mkfs)
    - pattern: '\bdd\b[^\n;&|]*\bof=/dev/(?!null\b|zero\b|stdout\b|stderr\b)'
      reason: writing raw data to a device (dd of=/dev/...)
    - pattern: '([a-z_:][a-z0-9_:]*)\s*\(\)\s*\{\s*\1\s*\|\s*\1\s*&'
      reason: fork bomb
    - pattern: '\b(?:curl|wget|fetch)\b[^\n;&]*\|\s*(?:sudo\s+)?(?:(?:ba|z|da|k|fi)?sh|python[0-9.]*|perl|ruby)\b'
      reason: piping a download into a shell (curl ... | sh)
    - pattern: '(?:\$\(|<\(|`)\s*(?:curl|wget)\b'
      reason: running a download through a shell substitution
    - pattern: '\bchmod\s+(?:-\S+\s+)*(?:-[a-z]*r[a-z]*|--recursive)\s+(?:-\S+\s+)*(?:0?777|a\+rwx|ugo\+rwx)\s+/'
      reason: making a system tree world-writable (chmod -R 777 /)
    - pattern: '>\s*/dev/(?:sd|nvme|hd|vd|mmcblk)'
      reason: writing over a disk device
    - pattern: '(?:^|[;&|]\s*)(?:shutdown|reboot|poweroff|halt)\b|\bsystemctl\s+(?:poweroff|reboot|halt|suspend|hibernate)\b'
      reason: shutting the machine down

# Top-level windows actions must not touch (class and title are case-insensitive regular
# expressions; pointer actions are judged by the window under the point, keys and typing by
# the focused window).
windows:
  deny:
    - class: 'polkit|gcr-prompter|pinentry|askpass|kwalletd|lxpolkit'
      reason: authentication prompts are for people

# Screen rectangles [x, y, width, height] where clicks, drags and scrolls may not land.
regions:
  deny: []

# Rules whose match needs a person's yes. None by default: an unattended run has nobody to ask.
confirm: []

# On a refused action: feedback (skip it, tell the model why, go on) or abort (stop, exit 4).
on_violation: feedback

# Patterns replaced by [redacted] in traces and logs (typed text, model answers); values from
# ${secret:NAME} are always redacted. Added to permissive's (OpenAI-style keys, GitHub tokens, PEM
# private keys).
redact:
  - '\bakia[0-9a-z]{16}\b'                           # AWS access key ids
  - '\bxox[abprs]-[a-z0-9-]{10,}'                    # Slack tokens

# The global hotkey that stops the run at once (exit 130).
kill_switch: ctrl+alt+shift+escape

# Pause the run the moment a person moves a physical mouse or types (XInput2 raw events from devices
# other than XTEST); `deskpilot resume` continues. Never applies to deskpilot's own private Xvfb.
pause_on_user_input: true

"""#

    static let strictYAML = #"""
# deskpilot policy: strict
#
# Allow-list style: only the listed action kinds and key chords, no terminals, short runs, and a
# refused action stops the run (exit 4). Start here for agents you do not trust yet, and widen
# the lists for your task (in a copy: a policy that extends this one can only tighten it).
# Every field is described in docs/policy-format.md.

name: strict
description: Allow-list style; few action kinds, few chords, no terminals, stops at the first violation.

# Everything the default policy refuses stays refused (its chords, text patterns, windows and
# redactions, and permissive's under it); this file adds rules and tightens limits.
extends: default

limits:
  max_steps: 30
  max_duration: 10m
  max_actions_per_minute: 60
  max_typed_characters: 2000

# Only these kinds may run (no press/release, mouse_down/up, middle or triple clicks).
actions:
  allow: [click, double_click, right_click, move, drag, scroll, key, type, wait]

# With an allow list, a chord must match one entry exactly (same modifiers). The deny lists
# (default's and these) still apply on top.
keys:
  allow:
    - return
    - escape
    - tab
    - shift+tab
    - backspace
    - delete
    - space
    - up
    - down
    - left
    - right
    - home
    - end
    - pageup
    - pagedown
    - ctrl+a
    - ctrl+c
    - ctrl+v
    - ctrl+x
    - ctrl+z
    - ctrl+s
    - ctrl+f
  deny:
    - super+*                  # anything with the logo key

# Broader than default's patterns for the same commands, which still apply too.
text:
  deny:
    - pattern: '\bdd\b[^\n;&|]*\bof=/dev/'
      reason: writing raw data to a device (dd of=/dev/...)
    - pattern: '\b(?:curl|wget|fetch)\b[^\n;&]*\|'
      reason: piping a download into another program
    - pattern: '\bchmod\s+(?:-\S+\s+)*(?:-[a-z]*r[a-z]*|--recursive)\b'
      reason: recursive permission changes
    - pattern: '\b(?:shutdown|reboot|poweroff|halt)\b'
      reason: shutting the machine down

windows:
  deny:
    - class: 'term|xterm|konsole|alacritty|kitty|tilix|terminator|foot|wezterm|urxvt|^st(?:-256color)?$'
      reason: no terminals under the strict policy

# Typing into a sign-in window needs a person's yes.
confirm:
  - actions: [type]
    windows:
      - title: 'password|passphrase|sign.?in|log.?in|authenticat'
    reason: typing into what looks like a sign-in window

on_violation: abort

redact:
  - '(?:password|passwd|pwd)\s*[:=]\s*\S+'

"""#

    static let permissiveYAML = #"""
# deskpilot policy: permissive
#
# For trusted scripted tasks and for `deskpilot act` (its default). No limits, no text rules;
# only the chords that would end the X session or leave it are blocked, so a typo in a script
# cannot take the display down. The default policy extends this one, and strict extends default.
# Every field is described in docs/policy-format.md.

name: permissive
description: Trusted scripts and deskpilot act; only session-ending chords are blocked.

limits: {}                     # no caps beyond the command line's

actions:
  deny: []

keys:
  deny:
    - ctrl+alt+backspace       # zaps the X server
    - terminate_server         # the keysym ctrl+alt+backspace produces
    - ctrl+alt+f*              # switch to a text console (also catches ctrl+alt+f and Find)
    - xf86switch_vt_*          # the keysyms those chords produce
    - sys_req                  # magic SysRq (alt+print): reboots, kills processes
    - alt+print

text:
  deny: []

windows:
  deny: []

regions:
  deny: []

confirm: []

on_violation: feedback

redact:
  - '\bsk-[a-z0-9_-]{16,}'                          # OpenAI-style API keys
  - '\bgh[pousr]_[a-z0-9]{30,}'                      # GitHub tokens
  - '-----begin [a-z ]*private key-----'             # PEM private keys

kill_switch: ctrl+alt+shift+escape
pause_on_user_input: false

"""#

}

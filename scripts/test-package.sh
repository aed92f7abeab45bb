#!/usr/bin/env bash
# Tests the Debian package as a user gets it: builds it (scripts/package.sh, or takes DESKPILOT_DEB), checks
# that apt can resolve its dependencies, unpacks it into a fresh tree, hides the Swift toolchain (as root:
# a private mount namespace with an empty folder over the toolchain's folder, since PATH alone does not hide
# libraries found through a RUNPATH) and from /tmp runs --version, every example task --headless, doctor,
# a man page and the completion scripts.
#
#   scripts/test-package.sh               # 12-14 min with the release build from scratch on 2 cores, 1 min with
#                                         # DESKPILOT_DEB=FILE.deb; DESKPILOT_SKIP_PACKAGE=1 skips it
set -euo pipefail

fail() { echo "test-package: FAIL: $*" >&2; exit 1; }
passed=0
pass() { echo "test-package: ok: $*"; passed=$((passed + 1)); }

# The checks that need the installed tree alone (run inside the namespace when root).
inside() {
  local tree="$1" toolchain="$2"
  local d="$tree/usr/bin/deskpilot"
  if [[ -n "$toolchain" ]]; then
    [[ ! -e "$toolchain/bin/swift" ]] || fail "the toolchain is still visible at $toolchain"
    pass "toolchain hidden: $toolchain is empty"
  fi
  local libs; libs="$(ldd "$d" "$tree/usr/lib/deskpilot/"*)"
  ! grep -q "not found" <<<"$libs" || fail "ldd: $(grep "not found" <<<"$libs" | head -3 | tr -s ' \t' ' ')"
  if [[ -n "$toolchain" ]] && grep -q "$toolchain" <<<"$libs"; then fail "ldd shows a toolchain library"; fi
  ! grep -qE 'libswift|libFoundation|libdispatch|libBlocksRuntime' <<<"$libs" || fail "ldd shows a Swift runtime library"
  pass "ldd: deskpilot loads $(ldd "$d" | grep -c '=>') libraries, deskpilot-full $(ldd "$tree/usr/lib/deskpilot/deskpilot-full" \
    | grep -c '=>'), none from the toolchain, none missing (helpers too)"
  # The light front runs act and screenshot: networking, D-Bus and AT-SPI belong to deskpilot-full only.
  ! ldd "$d" | grep -qE 'libcurl|libatspi|libdbus|libglib' || fail "the light deskpilot links $(ldd "$d" | grep -oE \
    'lib(curl|atspi|dbus|glib)[^ ]*' | sort -u | tr '\n' ' ')"
  pass "the light deskpilot links no libcurl, D-Bus, GLib or AT-SPI"
  cd /tmp
  local version; version="$("$d" --version)" || fail "--version exited $?"
  pass "deskpilot --version from /tmp: $version"
  # Help goes through the front to deskpilot-full, which knows the whole tree.
  local help; help="$("$d" act --help)" || fail "deskpilot act --help exited $?"
  grep -q 'click' <<<"$help" || fail "deskpilot act --help (through deskpilot-full) names no click: $help"
  help="$("$d" --help)" || fail "deskpilot --help exited $?"
  grep -q 'serve' <<<"$help" || fail "deskpilot --help (through deskpilot-full) names no serve: $help"
  pass "deskpilot --help and act --help from deskpilot-full"
  local examples="$tree/usr/share/deskpilot/examples" out="$(mktemp -d)"
  for task in "$examples"/*.yaml; do
    DESKPILOT_QUIET_A11Y=1 "$d" run "$task" --headless --trace-dir "$out" >"$out/log" 2>&1 \
      || { tail -5 "$out/log" >&2; fail "run $(basename "$task") --headless exited non-zero"; }
    pass "run examples/$(basename "$task") --headless"
  done
  rm -rf "$out"
  local doctor; doctor="$(DISPLAY= "$d" doctor 2>&1)" && fail "doctor without a display exited 0"
  grep -q '^FAIL  display .*→ ' <<<"$doctor" || fail "doctor without a display: $doctor"
  grep -q '^ok    xvfb ' <<<"$doctor" || fail "doctor found no Xvfb: $doctor"
  pass "doctor: missing display explained, Xvfb found"
  local page; page="$(MANPAGER=cat MANWIDTH=100 man -l "$tree/usr/share/man/man1/deskpilot.1.gz" 2>&1)" || fail "man -l deskpilot.1.gz"
  grep -q "doctor" <<<"$page" || fail "man deskpilot names no doctor command"
  MANPAGER=cat man -l "$tree/usr/share/man/man1/deskpilot.act.1.gz" >/dev/null 2>&1 || fail "man -l deskpilot.act.1.gz"
  pass "man -l deskpilot.1.gz ($(ls "$tree/usr/share/man/man1" | wc -l) pages)"
  bash -n "$tree/usr/share/bash-completion/completions/deskpilot" || fail "bash -n on the bash completion"
  # shellcheck disable=SC1091
  words="$(bash -c "source '$tree/usr/share/bash-completion/completions/deskpilot'; COMP_WORDS=(deskpilot do); COMP_CWORD=1; \
    COMP_LINE='deskpilot do'; COMP_POINT=12; _deskpilot; echo \"\${COMPREPLY[*]}\"" 2>&1)" || true
  [[ "$words" == *doctor* ]] || fail "the bash completion does not complete 'deskpilot do' to doctor (got '$words')"
  if command -v zsh >/dev/null; then zsh -n "$tree/usr/share/zsh/vendor-completions/_deskpilot" || fail "zsh -n"; fi
  if command -v fish >/dev/null; then fish -n "$tree/usr/share/fish/vendor_completions.d/deskpilot.fish" || fail "fish -n"; fi
  pass "completions: bash -n, 'deskpilot do<TAB>' → doctor"
}

if [[ "${1:-}" == "--inside" ]]; then
  # In the private mount namespace: cover the toolchain, then check.
  tree="$2" toolchain="$3" empty="$4" count="$5"
  mount --bind "$empty" "$toolchain"
  inside "$tree" "$toolchain"
  echo "$passed" > "$count"
  exit 0
fi

cd "$(dirname "$0")/.."
if [[ "${DESKPILOT_SKIP_PACKAGE:-0}" == 1 ]]; then
  echo "test-package: SKIP (DESKPILOT_SKIP_PACKAGE=1): the Debian package was not built or tested"
  exit 0
fi
start=$SECONDS
deb="${DESKPILOT_DEB:-}"
if [[ -z "$deb" ]]; then
  deb="$(scripts/package.sh)" || fail "scripts/package.sh failed"
  echo "test-package: built $deb in $((SECONDS - start)) s"
fi
[[ -f "$deb" ]] || fail "no package at $deb"

fields="$(dpkg-deb -f "$deb" Package Version Architecture Depends)"
grep -q '^Depends: .*libx11-6' <<<"$fields" || fail "Depends has no libx11-6: $fields"
grep -q '^Depends: .*xvfb' <<<"$fields" || fail "Depends has no xvfb: $fields"
pass "$(dpkg-deb -f "$deb" Package)_$(dpkg-deb -f "$deb" Version): Depends $(dpkg-deb -f "$deb" Depends | tr ',' '\n' | wc -l) packages"
sim="$(apt-get install -s "$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")" 2>&1)" \
  || { tail -20 <<<"$sim" >&2; fail "apt-get install -s: dependencies do not resolve"; }
pass "apt-get install -s resolves the dependencies"

tree="$(mktemp -d /tmp/deskpilot-pkgtree.XXXXXX)"
trap 'rm -rf "$tree"' EXIT
dpkg-deb -x "$deb" "$tree"
for f in usr/bin/deskpilot usr/lib/deskpilot/deskpilot-fixture usr/lib/deskpilot/deskpilot-labels \
         usr/share/deskpilot/policies/default.yaml usr/share/deskpilot/suite usr/share/man/man1/deskpilot.1.gz \
         usr/share/bash-completion/completions/deskpilot usr/share/zsh/vendor-completions/_deskpilot \
         usr/share/fish/vendor_completions.d/deskpilot.fish usr/lib/systemd/user/deskpilot.service; do
  [[ -e "$tree/$f" ]] || fail "the package has no /$f"
done
grep -q '^ExecStart=/usr/bin/deskpilot serve' "$tree/usr/lib/systemd/user/deskpilot.service" || fail "the unit does not start /usr/bin/deskpilot"
if readelf -d "$tree/usr/bin/deskpilot" | grep -qE 'RUNPATH|RPATH'; then fail "/usr/bin/deskpilot has a RUNPATH"; fi
pass "layout: /usr/bin, /usr/lib/deskpilot, /usr/share/deskpilot, man pages, completions, the user unit; no RUNPATH"

toolchain=""
if swift_bin="$(command -v swift 2>/dev/null)"; then toolchain="$(dirname "$(dirname "$(readlink -f "$swift_bin")")")"; fi
if [[ $(id -u) -eq 0 && -n "$toolchain" ]] && command -v unshare >/dev/null; then
  empty="$(mktemp -d)" count="$(mktemp)"
  unshare -m --propagation private -- "$0" --inside "$tree" "$toolchain" "$empty" "$count" \
    || fail "the checks with the toolchain hidden failed"
  passed=$((passed + $(cat "$count")))
  rm -rf "$empty" "$count"
else
  echo "test-package: SKIP hiding the toolchain (needs root and unshare; toolchain '${toolchain:-none}'): checks run with it visible"
  inside "$tree" ""
fi
echo "test-package: $passed passed, 0 failed in $((SECONDS - start)) s"

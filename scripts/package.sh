#!/usr/bin/env bash
# Builds deskpilot_<version>_amd64.deb with dpkg-deb: one release build with the Swift runtime and
# Foundation linked in (--static-swift-stdlib: no library or RUNPATH from the toolchain), man pages generated
# from the command definitions, shell completions, the example tasks, the suite and the systemd user unit.
#
#   scripts/package.sh [OUT_DIR]          # default .build/deb; prints the .deb's path last
#
# DESKPILOT_SKIP_BUILD=1 reuses the release build already there (same flags). Layout:
#   /usr/bin/deskpilot                                           the light front (act, screenshot, info, windows)
#   /usr/lib/deskpilot/deskpilot-full                            every other command; the front execs it
#   /usr/lib/deskpilot/{deskpilot-fixture,deskpilot-labels}      helpers the example tasks and bench start
#   /usr/share/deskpilot/{policies,examples,suite}
#   /usr/share/man/man1/deskpilot*.1.gz, bash/zsh/fish completions, /usr/lib/systemd/user/deskpilot.service
# Depends: the libraries dpkg-shlibdeps finds (through packaging/debian/control) plus the runtime tools.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mkdir -p "${1:-.build/deb}" && cd "${1:-.build/deb}" && pwd)"
flags=(-c release --static-swift-stdlib)
# DESKPILOT_RELEASE_SCRATCH: a build folder of its own, so the release build can run beside a debug one
# (scripts/test.sh builds the package while the debug suites run).
if [[ -n "${DESKPILOT_RELEASE_SCRATCH:-}" ]]; then flags+=(--scratch-path "$DESKPILOT_RELEASE_SCRATCH"); fi
if [[ "${DESKPILOT_SKIP_BUILD:-0}" != 1 ]]; then
  # One configuration for all five products, so nothing is compiled twice (generate-manual is
  # swift-argument-parser's man page generator; running it directly avoids its plugin's own build).
  log="$(mktemp)"
  for product in deskpilot deskpilot-full deskpilot-fixture deskpilot-labels generate-manual; do
    if ! swift build "${flags[@]}" --product "$product" >"$log" 2>&1; then
      tail -40 "$log" >&2; echo "package: swift build ${flags[*]} --product $product failed" >&2; exit 1
    fi
  done
  rm -f "$log"
fi
bin="$(swift build "${flags[@]}" --show-bin-path)"
for tool in deskpilot deskpilot-full deskpilot-fixture deskpilot-labels generate-manual; do
  [[ -x "$bin/$tool" ]] || { echo "package: $bin/$tool missing (run without DESKPILOT_SKIP_BUILD=1)" >&2; exit 1; }
done
for program in deskpilot deskpilot-full; do
  if readelf -d "$bin/$program" | grep -E 'RUNPATH|RPATH' | grep -vq '\[\$ORIGIN\]'; then
    echo "package: $bin/$program has a RUNPATH outside \$ORIGIN: $(readelf -d "$bin/$program" | grep -E 'R(UN)?PATH')" >&2
    exit 1
  fi
done
version="$("$bin/deskpilot" --version)"
arch=amd64
work="$(mktemp -d "${TMPDIR:-/tmp}/deskpilot-package.XXXXXX")"
trap 'rm -rf "$work"' EXIT
root="$work/deskpilot_${version}_${arch}"

# Programs: stripped, and without the build's $ORIGIN RUNPATH (nothing sits beside them to find).
install -d "$root/usr/bin" "$root/usr/lib/deskpilot"
strip --strip-unneeded -o "$root/usr/bin/deskpilot" "$bin/deskpilot"
for helper in deskpilot-full deskpilot-fixture deskpilot-labels; do
  strip --strip-unneeded -o "$root/usr/lib/deskpilot/$helper" "$bin/$helper"
done
chmod 755 "$root/usr/bin/deskpilot" "$root/usr/lib/deskpilot/"*
for program in "$root/usr/bin/deskpilot" "$root/usr/lib/deskpilot/"*; do patchelf --remove-rpath "$program"; done

# Data.
share="$root/usr/share/deskpilot"
install -d "$share/policies" "$share/examples" "$share/suite"
install -m644 policies/*.yaml "$share/policies/"
cp -r tasks/examples/. "$share/examples/"
cp -r tasks/suite/. "$share/suite/"
install -d "$root/usr/share/doc/deskpilot"
install -m644 README.md docs/*.md "$root/usr/share/doc/deskpilot/"

# Man pages, one per command (deskpilot.1, deskpilot.act.1, …), from the same definitions as --help (the front
# hands --experimental-dump-help and --generate-completion-script to deskpilot-full, beside it in the build).
mkdir -p "$work/man"
"$bin/generate-manual" "$bin/deskpilot" --multi-page --output-directory "$work/man" --date "$(date -u +%Y-%m-%d)" \
  --authors "deskpilot maintainers" >/dev/null
install -d "$root/usr/share/man/man1"
for page in "$work/man"/*.1; do
  gzip -9n -c "$page" > "$root/usr/share/man/man1/$(basename "$page").gz"
done

# Completions, where bash-completion, zsh and fish look for packaged ones.
install -d "$root/usr/share/bash-completion/completions" "$root/usr/share/zsh/vendor-completions" \
  "$root/usr/share/fish/vendor_completions.d"
"$bin/deskpilot" --generate-completion-script bash > "$root/usr/share/bash-completion/completions/deskpilot"
"$bin/deskpilot" --generate-completion-script zsh > "$root/usr/share/zsh/vendor-completions/_deskpilot"
"$bin/deskpilot" --generate-completion-script fish > "$root/usr/share/fish/vendor_completions.d/deskpilot.fish"

# The systemd user unit, pointed at the installed binary and docs (enable it per user:
# systemctl --user enable --now deskpilot.service).
install -d "$root/usr/lib/systemd/user"
# The source-install steps in its comment become the package's.
sed -e 's#%h/\.local/bin/deskpilot#/usr/bin/deskpilot#g' \
    -e 's#file://%h/\.local/share/doc/deskpilot/#file:///usr/share/doc/deskpilot/#g' \
    -e 's#^\# Install (as the desktop user, not root):#\# Installed by the deskpilot package; enable it as the desktop user, not root:#' \
    -e '/^#   install -Dm/d' -e '/systemctl --user daemon-reload/d' \
    packaging/deskpilot.service > "$root/usr/lib/systemd/user/deskpilot.service"

# Depends: shared libraries through dpkg-shlibdeps, then the programs deskpilot starts at run time.
install -d "$work/src/debian"
cp packaging/debian/control "$work/src/debian/control"
shlibs="$(cd "$work/src" && dpkg-shlibdeps -O -e"$root/usr/bin/deskpilot" -e"$root/usr/lib/deskpilot/deskpilot-full" \
  -e"$root/usr/lib/deskpilot/deskpilot-fixture" -e"$root/usr/lib/deskpilot/deskpilot-labels" 2>"$work/shlibdeps.log" | sed -n 's/^shlibs:Depends=//p')" || {
  cat "$work/shlibdeps.log" >&2; exit 1; }
[[ -n "$shlibs" ]] || { echo "package: dpkg-shlibdeps found no libraries" >&2; cat "$work/shlibdeps.log" >&2; exit 1; }
# --headless needs Xvfb with xkbcomp and the layouts; locate and text targets need Tesseract and its English
# data, image targets OpenBLAS (both opened with dlopen at first use, so dpkg-shlibdeps cannot see them).
runtime="xvfb, xauth, x11-xkb-utils, xkb-data, libtesseract5 (>= 5.3.0), tesseract-ocr-eng, libopenblas0"
# Real desktops (--desktop openbox: window manager, session and accessibility buses) and the example apps.
recommends="openbox, dbus, dbus-bin, at-spi2-core, xterm, x11-apps"
install -d "$root/DEBIAN"
cat > "$root/DEBIAN/control" <<CONTROL
Package: deskpilot
Version: $version
Architecture: $arch
Maintainer: $(sed -n 's/^Maintainer: //p' packaging/debian/control)
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: $shlibs, $runtime
Recommends: $recommends
Section: x11
Priority: optional
Description: GUI-agent daemon for Linux X11 desktops
 deskpilot drives an X11 desktop: screen capture, XTest input, text and
 element grounding, task files with checks, an agent loop over a
 vision-language model inside safety policies, traces, evaluation, a daemon
 with a local HTTP API and an MCP server.
CONTROL
deb="$out/deskpilot_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "package: $(du -h "$deb" | cut -f1) $deb" >&2
echo "$deb"

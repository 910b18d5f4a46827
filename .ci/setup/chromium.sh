# shellcheck shell=bash
# Headless Chromium for the browser test (tests/browser.rs), sourced by
# .ci/run before the tests (or by hand: `source .ci/setup/chromium.sh`).
#
# Installs Debian's `chromium` package when no Chromium is on the PATH, and
# exports:
#
#   CHROMIUM   the browser's path (tests/browser.rs looks for it there first)
#
# Installing needs root (or password-less sudo) and Debian's package lists;
# when it cannot be had, it says so and exports nothing, and the browser
# test fails under CI, as it should. The test starts the browser itself with
# the flags this closed network needs (no background networking, no
# component updates, no sync, no QUIC) and a fresh profile folder.

__chorus_chromium_find() {
  local n
  for n in chromium chromium-browser google-chrome google-chrome-stable; do
    if command -v "$n" >/dev/null 2>&1; then
      command -v "$n"
      return 0
    fi
  done
  return 1
}

__chorus_chromium_install() {
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo="sudo -n"
    else
      echo "chromium.sh: chromium is not installed and installing needs root" >&2
      return 1
    fi
  fi
  echo "chromium.sh: installing Debian's chromium" >&2
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || true
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2
}

if __chorus_chromium_path="$(__chorus_chromium_find)" \
  || { __chorus_chromium_install && __chorus_chromium_path="$(__chorus_chromium_find)"; }; then
  export CHROMIUM="$__chorus_chromium_path"
  echo "chromium.sh: using $CHROMIUM ($("$CHROMIUM" --version 2>/dev/null | head -n 1))" >&2
else
  echo "chromium.sh: no chromium; the browser test will fail under CI" >&2
fi
unset __chorus_chromium_path
unset -f __chorus_chromium_find __chorus_chromium_install

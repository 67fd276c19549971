#!/usr/bin/env bash
# Make Debian's Chromium available for the browser tests (tests/web/test_browser.py) and print
# its path on stdout. Playwright's own browser downloads are never used: the tests drive this
# system Chromium through Playwright's python package (executable_path).
# Installs the `chromium` package when missing (needs root or passwordless sudo, as in CI);
# otherwise prints a note and exits 0, and the browser tests are skipped with the reason.
set -u
log() { echo "ensure-chromium: $*" >&2; }
find_chromium() {
  for c in "${NEWSLINEAGE_CHROMIUM:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
    if [ -n "$c" ] && [ -x "$c" ]; then echo "$c"; return 0; fi
  done
  return 1
}
if path=$(find_chromium); then echo "$path"; exit 0; fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    log "Chromium is missing and this is not root (no passwordless sudo): browser tests will be skipped;"
    log "install it with: sudo apt-get install chromium"
    exit 0
  fi
fi
if ! command -v apt-get >/dev/null; then
  log "no apt-get here: install Chromium yourself and set NEWSLINEAGE_CHROMIUM to its path"
  exit 0
fi
log "installing chromium from Debian's packages"
($SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium) >&2 \
  || { log "could not install chromium: browser tests will be skipped"; exit 0; }
if path=$(find_chromium); then echo "$path"; else log "chromium installed but not found"; fi
exit 0

#!/usr/bin/env bash
# Installs what the browser tests of the web chat and the team console
# (bot/web) need: Debian's Chromium, and axe-core (npm, pinned in
# bot/web/testdata/axe/package-lock.json) for the accessibility checks.
# With CI set those tests fail, not skip, when either is missing, so this
# must run before `go test`.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
apt_update_once() {
  # apt-get update once: skip it when another step refreshed the lists
  # within the hour.
  if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -mmin -60 2>/dev/null | head -n 1)" ]; then
    apt-get update -qq
  fi
}
if ! command -v chromium >/dev/null 2>&1; then
  apt_update_once
  apt-get install -y -qq chromium >/dev/null
fi
chromium --version 2>/dev/null | grep -i chromium
if ! command -v npm >/dev/null 2>&1; then
  apt_update_once
  apt-get install -y -qq nodejs npm >/dev/null
fi
npm ci --prefix bot/web/testdata/axe --no-audit --no-fund --silent
echo "axe-core $(node -p "require('./bot/web/testdata/axe/node_modules/axe-core/package.json').version")"

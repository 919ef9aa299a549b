#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests of the web chat and the
# team console (bot/web). With CI set those tests fail, not skip, when no
# Chromium is found, so this must run before `go test`.
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  # apt-get update once: skip it when another step refreshed the lists
  # within the hour.
  if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -mmin -60 2>/dev/null | head -n 1)" ]; then
    apt-get update -qq
  fi
  apt-get install -y -qq chromium >/dev/null
fi
chromium --version 2>/dev/null | grep -i chromium

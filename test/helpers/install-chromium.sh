#!/usr/bin/env bash
# Installs Debian's Chromium for the portal's browser tests when it is missing (TOOLING.md: never
# `npx playwright install`, whose downloads fail here). Needs root or sudo; idempotent.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
  echo "chromium: $(chromium --version 2>/dev/null || echo /usr/bin/chromium)"
  exit 0
fi
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends chromium
chromium --version

#!/usr/bin/env bash
# Installs what the build and the tests need, idempotently: a second run installs nothing.
#   - Debian packages: pkg-config, libsnappy-dev, libsecp256k1-dev (when running as root).
# Usage: scripts/deps.sh
set -euo pipefail

packages=(pkg-config libsnappy-dev libsecp256k1-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
  echo "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v swift >/dev/null || { echo "the Swift toolchain (6.2 or newer) must be on PATH" >&2; exit 1; }

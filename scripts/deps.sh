#!/usr/bin/env bash
# Installs what the build and the tests need, idempotently: a second run installs nothing.
#   - Debian packages: pkg-config, libsnappy-dev, libsecp256k1-dev, python3-venv (when running as root).
#   - .venv/: a Python venv holding the real libp2p peers the interop tests run (py-libp2p 0.8.1), and
#     matplotlib for the soak harness's plots (scripts/plot_soak.py).
# Usage: scripts/deps.sh
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(pkg-config libsnappy-dev libsecp256k1-dev)
python3 -c "import ensurepip" 2>/dev/null || packages+=(python3-venv)
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

# Interop peers and the soak plots: pinned versions, installed once into .venv (the tests find it there).
requirements=(libp2p==0.8.1 matplotlib==3.10.8)
venv=.venv
stamp="$venv/.installed-$(printf '%s ' "${requirements[@]}" | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "installing ${requirements[*]} into $venv"
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "${requirements[@]}"
  "$venv/bin/python" -c "import libp2p, multiaddr, trio, matplotlib"
  touch "$stamp"
fi

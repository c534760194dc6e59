#!/usr/bin/env bash
# Installs what the build and the tests need, idempotently: a second run installs nothing.
#   - Debian packages: pkg-config, libsnappy-dev, libsecp256k1-dev, python3-venv (when running as root).
#   - .venv/: a Python venv holding the real libp2p peers the interop tests run (py-libp2p 0.8.1), and
#     matplotlib for the soak harness's plots (scripts/plot_soak.py).
#   - .venv/bin/p2pd (go-libp2p 0.32's daemon, from the hivemind 1.1.12 wheel) and p2pclient 0.3.0, which
#     drives it: the go-libp2p peers of scripts/interop/go_gossip.py and go_peer.py (x86_64 Linux only).
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

# The go-libp2p interop peer: p2pd, a static go-libp2p daemon, driven over its control socket by p2pclient.
#   - p2pclient==0.3.0 goes in with --no-deps: it requires pycryptodome<4, and pip would replace the
#     pycryptodome py-libp2p 0.8.1 installed (4.x) with 3.x. p2pclient imports pycryptodome only in an
#     RSA stub nothing else loads; its other dependencies (anyio, base58, multiaddr, protobuf,
#     py-multihash) py-libp2p already brought in, in versions p2pclient accepts. `pip check` therefore
#     reports p2pclient's pycryptodome pin; that is expected.
#   - p2pd: hivemind ships go-libp2p-daemon's p2pd (learning-at-home fork, go-libp2p 0.32) as a static
#     x86_64 binary inside its manylinux wheel. Only that file is taken (hivemind itself, torch and the
#     rest are not installed), and its sha256 is checked so the tests always run the same go peer.
go_requirements=(p2pclient==0.3.0 hivemind==1.1.12)
p2pd_sha256=42f8f48e62583b97cdba3c31439c08029fb2b9fc506b5bdd82c46b7cc1d279d8
go_stamp="$venv/.installed-go-$(printf '%s ' "${go_requirements[@]}" "$p2pd_sha256" | sha256sum | cut -c1-16)"
if [ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]; then
  echo "no p2pd for $(uname -s)-$(uname -m): the go-libp2p interop peers are unavailable" >&2
elif [ ! -f "$go_stamp" ] || [ ! -x "$venv/bin/p2pd" ]; then
  echo "installing ${go_requirements[0]} and p2pd (from ${go_requirements[1]}) into $venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps "${go_requirements[0]}"
  # Two processes: both packages register a crypto.proto defining crypto.pb.PublicKey in protobuf's
  # global descriptor pool, so whichever is imported second fails (with either protobuf backend).
  # The go scripts therefore never import libp2p.
  "$venv/bin/python" -c "import libp2p, trio"
  "$venv/bin/python" -c "import p2pclient, multiaddr, anyio, base58, multihash"
  wheels=$(mktemp -d)
  trap 'rm -rf "$wheels"' EXIT
  "$venv/bin/pip" download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
    --platform manylinux2014_x86_64 --dest "$wheels" "${go_requirements[1]}"
  # Only hivemind/hivemind_cli/p2pd leaves the wheel (Python's zipfile: no need for unzip).
  "$venv/bin/python" - "$wheels"/hivemind-*.whl "$venv/bin/p2pd.new" <<'PY'
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as wheel, wheel.open("hivemind/hivemind_cli/p2pd") as src, open(sys.argv[2], "wb") as dst:
    shutil.copyfileobj(src, dst)
PY
  echo "$p2pd_sha256  $venv/bin/p2pd.new" | sha256sum --check --quiet
  chmod +x "$venv/bin/p2pd.new"
  mv "$venv/bin/p2pd.new" "$venv/bin/p2pd"
  rm -rf "$wheels"
  trap - EXIT
  touch "$go_stamp"
fi

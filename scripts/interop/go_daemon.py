"""go-libp2p for the interop tests: p2pd (go-libp2p-daemon, go-libp2p 0.32.1, go-libp2p-pubsub
0.10.0; the build hivemind 1.1.12 ships, installed by scripts/deps.sh as .venv/bin/p2pd) run as a
child process and driven through p2pclient 0.3.0 over a unix control socket in a temp directory.

Shared by go_gossip.py and go_peer.py. Deliberately never imports py-libp2p: it and p2pclient both
register a protobuf file defining crypto.pb.PublicKey, and whichever is imported second fails.

p2pd flags used, and why:
  -listen /unix/<tmp>/p2pd.sock   control socket, private to this process
  -hostAddrs <--listen>           where go-libp2p listens (tcp/0: identify reports the real port)
  -tls=false                      Noise only, like the py peers (p2pd offers TLS too by default)
  -muxer yamux                    its default, explicit; it cannot add mplex (go-libp2p 0.32's
                                  default muxers are yamux only), so the go peer is yamux only
  -relay=false                    asks for no circuit relay; this build still advertises
                                  /libp2p/circuit/relay/0.2.0/hop and /stop in identify anyway
  -id <file>                      only for --key-type secp256k1 (go's own default identity is Ed25519)
and, with pubsub: -pubsub -pubsubRouter gossipsub -pubsubSign=true -pubsubSignStrict=true
(StrictSign) -gossipsubHeartbeatInterval and -gossipsubHeartbeatInitialDelay.
p2pd ignores SIGINT; it is stopped with SIGTERM (then SIGKILL), and is started with
PR_SET_PDEATHSIG=SIGKILL so it dies with this process however this process dies.
"""
import ctypes
import os
import shutil
import signal
import subprocess
import sys
import tempfile

import anyio
import trio
from multiaddr import Multiaddr
from p2pclient import Client
from p2pclient.libp2p_stubs.crypto.pb import crypto_pb2
from p2pclient.libp2p_stubs.peer.id import ID

# The process that started us, taken at import: watch() stops when we are re-parented.
PARENT = os.getppid()
SECP256K1_ORDER = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141


def p2pd_path():
    """$AZTEC_P2P_P2PD, else p2pd next to this interpreter (.venv/bin), else on PATH."""
    env = os.environ.get("AZTEC_P2P_P2PD")
    if env:
        return env
    beside = os.path.join(os.path.dirname(sys.executable), "p2pd")
    if os.access(beside, os.X_OK):
        return beside
    found = shutil.which("p2pd")
    if not found:
        sys.exit("p2pd not found: run scripts/deps.sh (it installs .venv/bin/p2pd) or set AZTEC_P2P_P2PD")
    return found


def log(text):
    print(text, file=sys.stderr, flush=True)


def split_p2p(target):
    """'/ip4/.../tcp/N/p2p/ID' -> (ID, Multiaddr without /p2p)."""
    text = str(target)
    if "/p2p/" not in text:
        raise ValueError(f"multiaddr must end in /p2p/<peer id>: {text}")
    address, _, peer = text.rpartition("/p2p/")
    return ID.from_base58(peer), Multiaddr(address)


def write_secp256k1_key(path):
    """A random secp256k1 identity as libp2p's protobuf PrivateKey (what p2pd's -id reads)."""
    while True:
        secret = os.urandom(32)
        if 0 < int.from_bytes(secret, "big") < SECP256K1_ORDER:
            break
    key = crypto_pb2.PrivateKey(key_type=crypto_pb2.Secp256k1, data=secret)
    with open(path, "wb") as f:
        f.write(key.SerializeToString())


_libc = ctypes.CDLL(None, use_errno=True)  # looked up before any fork


def _die_with(parent):
    def preexec():
        # In the child between fork and exec: SIGKILL it when its parent (we) dies, and at once if
        # we died before the request was made.
        PR_SET_PDEATHSIG = 1
        _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:
            os._exit(1)
    return preexec


class Daemon:
    def __init__(self, listen, key_type="ed25519", pubsub=False, heartbeat=None, heartbeat_initial_delay=0.1):
        binary = p2pd_path()
        self.dir = tempfile.mkdtemp(prefix="p2pd-")
        self.socket = os.path.join(self.dir, "p2pd.sock")
        self.control = Multiaddr(f"/unix{self.socket}")
        args = [binary, "-listen", str(self.control), "-hostAddrs", listen,
                "-tls=false", "-noise=true", "-muxer", "yamux", "-relay=false"]
        if key_type == "secp256k1":
            key_file = os.path.join(self.dir, "identity.key")
            write_secp256k1_key(key_file)
            args += ["-id", key_file]
        if pubsub:
            args += ["-pubsub", "-pubsubRouter", "gossipsub", "-pubsubSign=true", "-pubsubSignStrict=true"]
            if heartbeat is not None:
                args += ["-gossipsubHeartbeatInterval", f"{round(heartbeat * 1000)}ms",
                         "-gossipsubHeartbeatInitialDelay", f"{round(heartbeat_initial_delay * 1000)}ms"]
        self.args = args
        # p2pd's stdout (its "Control socket:/Peer ID:/Peer Addrs:" banner) and its logs go to our stderr.
        self.process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=sys.stderr.fileno(),
                                        stderr=sys.stderr.fileno(), preexec_fn=_die_with(os.getpid()))
        self.client = Client(self.control)
        self.peer_id = None
        self.addrs = ()

    async def ready(self, timeout=30.0):
        """Waits until the control socket answers IDENTIFY (about 0.3 s: p2pd is a packed binary)."""
        with trio.fail_after(timeout):
            while True:
                if self.process.poll() is not None:
                    raise RuntimeError(f"p2pd exited with {self.process.returncode}: {' '.join(self.args)}")
                if os.path.exists(self.socket):
                    try:
                        self.peer_id, self.addrs = await self.client.identify()
                        return
                    except (OSError, anyio.EndOfStream, anyio.IncompleteRead):
                        pass  # not accepting, or not answering, yet
                await trio.sleep(0.02)

    def listen_addr(self):
        """The first TCP listen address with /p2p/<id> appended (what py_gossip.py prints)."""
        text = next(str(a) for a in self.addrs if "/tcp/" in str(a))
        return text if "/p2p/" in text else f"{text}/p2p/{self.peer_id.to_base58()}"

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=1.5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def stop_signals():
    """Open this before starting p2pd, then hand it to watch(): a SIGTERM that arrives while p2pd
    starts is then acted upon (p2pd stopped, temp dir removed) instead of killing us outright."""
    return trio.open_signal_receiver(signal.SIGTERM, signal.SIGHUP)


async def watch(cancel_scope, daemon, on_exit, signals, lifetime=None):
    """Cancels cancel_scope when the parent process goes away (we are re-parented), on SIGTERM or
    SIGHUP (from signals, see stop_signals), when p2pd exits by itself, or after lifetime seconds.
    on_exit(reason) is called first."""

    async def signalled():
        async for signum in signals:
            on_exit(f"signal {signal.Signals(signum).name}")
            cancel_scope.cancel()
            return

    async with trio.open_nursery() as nursery:
        nursery.start_soon(signalled)
        deadline = None if lifetime is None else trio.current_time() + lifetime
        while True:
            if os.getppid() != PARENT:
                on_exit("parent exited")
                break
            if daemon.process.poll() is not None:
                on_exit(f"p2pd exited with {daemon.process.returncode}")
                break
            if deadline is not None and trio.current_time() >= deadline:
                on_exit("lifetime over")
                break
            await trio.sleep(0.2)
        cancel_scope.cancel()

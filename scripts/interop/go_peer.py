"""A plain go-libp2p peer for the interop tests: p2pd (see go_daemon.py) listening on --listen
(default 127.0.0.1, TCP port 0: the real port comes from p2pd's IDENTIFY answer), driven by
commands on stdin.

stdout, one JSON object per line:
  {"listen": MULTIADDR_WITH_P2P, "peer_id": ID}     first, once p2pd is up
then one answer per command, in order:
  connect MULTIADDR_WITH_P2P  -> {"event":"connected","peer":ID}
                                 or {"event":"error","command":"connect","target":MULTIADDR,"error":TEXT}
  peers                       -> {"event":"peers","peers":[{"peer":ID,"addrs":[MULTIADDR,...]},...]}
                                 (p2pd's LIST_PEERS: the peers go has a connection to)
  anything else               -> {"event":"error","command":LINE,"error":"unknown command"}
Empty lines are ignored. --connect ADDR (repeatable) runs `connect ADDR` at start-up, before
stdin's commands. The peer exits 0 when stdin closes (with --keep-running it goes on: for a
launcher that gives it /dev/null as stdin, as tests' ExternalPeer.launch does); it also stops,
with exit status 1 and p2pd with it, on SIGTERM or SIGHUP, when its parent process exits, or
after --lifetime seconds (default 600).

go-libp2p 0.32.1 offers Noise and yamux only (p2pd's TLS is switched off), and answers
/ipfs/id/1.0.0, /ipfs/id/push/1.0.0 and /ipfs/ping/1.0.0 with agent "p2pd/0.1"; with --pubsub also
GossipSub v1.1 (StrictSign).
"""
import argparse
import json
import os
import sys

import trio

from go_daemon import Daemon, log, split_p2p, stop_signals, watch


def emit(obj):
    print(json.dumps(obj), flush=True)


async def answer(client, line):
    command, _, argument = line.partition(" ")
    argument = argument.strip()
    if command == "connect" and argument:
        try:
            peer, address = split_p2p(argument)
            with trio.fail_after(30):
                await client.connect(peer, [address])
            return {"event": "connected", "peer": peer.to_base58()}
        except Exception as error:  # noqa: BLE001 - the test wants every failure as data
            return {"event": "error", "command": "connect", "target": argument, "error": str(error) or repr(error)}
    if command == "peers" and not argument:
        try:
            peers = await client.list_peers()
        except Exception as error:  # noqa: BLE001
            return {"event": "error", "command": "peers", "error": str(error) or repr(error)}
        return {"event": "peers",
                "peers": [{"peer": p.peer_id.to_base58(), "addrs": [str(a) for a in p.addrs]} for p in peers]}
    return {"event": "error", "command": line, "error": "unknown command"}


async def main(args):
    stopped = None

    def stop(reason):
        nonlocal stopped
        stopped = reason

    with stop_signals() as signals:
        daemon = Daemon(args.listen, key_type=args.key_type, pubsub=args.pubsub, heartbeat=args.heartbeat)
        try:
            async with trio.open_nursery() as nursery:
                nursery.start_soon(watch, nursery.cancel_scope, daemon, stop, signals, args.lifetime)
                await daemon.ready()
                emit({"listen": daemon.listen_addr(), "peer_id": daemon.peer_id.to_base58()})
                for target in args.connect:
                    emit(await answer(daemon.client, f"connect {target}"))
                await serve(daemon.client)
                if args.keep_running:
                    await trio.sleep_forever()
                nursery.cancel_scope.cancel()
        finally:
            daemon.stop()
    if stopped is not None:
        log(f"go_peer: stopped: {stopped}")
        return 1
    return 0


async def serve(client):
    """Answers stdin's commands, in order, until stdin closes."""
    pending = b""
    while True:
        # A thread reads stdin, so that fd 0 (shared with the parent's pipe) stays blocking;
        # os.read rather than sys.stdin, whose lock an abandoned reader would hold at exit.
        chunk = await trio.to_thread.run_sync(os.read, 0, 65536, abandon_on_cancel=True)
        pending += chunk
        *lines, pending = pending.split(b"\n")
        if not chunk:
            lines.append(pending)
        for line in lines:
            line = line.decode(errors="replace").strip()
            if line:
                emit(await answer(client, line))
        if not chunk:
            return


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--listen", default="/ip4/127.0.0.1/tcp/0")
    parser.add_argument("--key-type", choices=["secp256k1", "ed25519"], default="ed25519")
    parser.add_argument("--pubsub", action="store_true", help="also run GossipSub (no topic joined)")
    parser.add_argument("--heartbeat", type=float, default=1.0, help="GossipSub heartbeat, seconds")
    parser.add_argument("--connect", action="append", default=[],
                        help="MULTIADDR_WITH_P2P: run `connect` for it at start-up, before stdin's commands")
    parser.add_argument("--keep-running", action="store_true",
                        help="do not stop when stdin closes (for a launcher whose stdin is /dev/null)")
    parser.add_argument("--lifetime", type=float, default=600.0)
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(trio.run(main, parse_args()))

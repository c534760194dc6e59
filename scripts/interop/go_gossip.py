"""A go-libp2p GossipSub peer with the command line and output of py_gossip.py.

go-libp2p 0.32.1 with go-libp2p-pubsub 0.10.0 (GossipSub v1.1: /meshsub/1.1.0, /meshsub/1.0.0,
/floodsub/1.0.0), Noise, yamux, as p2pd; see go_daemon.py for the daemon and its flags.

First stdout line: the full listen multiaddr ending in /p2p/<peer id>. Then one JSON object per
line (keys sorted, like py_gossip.py):
  {"event":"msg","topic":T,"from":PEER,"seqno":HEX,"data_len":N,"sha256":HEX}   per received message
  {"event":"published","topic":T,"msg_id":HEX,"data_len":N,"sha256":HEX}       per publish
  {"event":"error","dial":MULTIADDR,"error":TEXT}                                 a failed --dial
  {"event":"error","publish":INDEX,"error":TEXT}                                  a failed publish
  {"event":"stats","topic_peers":N,"connected_peers":M}
  {"event":"done","received":K,"ok":BOOL}
and exits 0 when --expect messages arrived within --timeout (after --linger more seconds).
p2pd's own output goes to stderr. The peer also stops (p2pd with it, no "done" line, exit 1) on
SIGTERM or SIGHUP, or when its parent process exits (during --linger: exit status as after it).

What p2pd decides and this script therefore only accepts:
  - --sign strict: p2pd runs go-libp2p-pubsub with StrictSign (every message carries from, seqno,
    signature and, for keys not inlined in the peer id, key; unsigned messages are rejected).
  - --msg-id peer-seqno: go-libp2p-pubsub's default id, from || seqno; p2pd cannot change it.
  - --muxer yamux: p2pd offers yamux only.
  - No IDONTWANT (v1.2) and no v1.3, so the stats line carries peer counts only.
  - --key-type: ed25519 (go's default identity) or secp256k1 (a key file p2pd reads with -id).
Differences from py_gossip.py:
  - Publishing: go floods its own messages to every peer subscribed to the topic (flood publish is
    go's default), so there is no mesh to wait for; the script still waits for a subscribed peer
    and one heartbeat, as py_gossip.py does.
  - msg_id of "published" is the real id, from || seqno in hex, learnt from the copy of the message
    go delivers to its own subscription (py_gossip.py prints "" under StrictSign). Those copies are
    not reported as "msg".
  - --heartbeat may be fractional (seconds).
  - --publish-after-peers N: publishing waits for N peers subscribed to the topic (default 1).
  - Message size: go-libp2p-pubsub drops RPCs over 1 MiB, so --size must stay below that.
"""
import argparse
import hashlib
import json
import os
import sys

import anyio
import trio
from p2pclient.exceptions import ControlFailure
from p2pclient.libp2p_stubs.peer.id import ID
from p2pclient.pb import p2pd_pb2
from p2pclient.utils import read_pbmsg_safe

from go_daemon import Daemon, log, split_p2p, stop_signals, watch


def emit(obj):
    print(json.dumps(obj, sort_keys=True), flush=True)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--listen", default="/ip4/127.0.0.1/tcp/0")
    parser.add_argument("--dial", action="append", default=[])
    parser.add_argument("--topic", default="/aztec/tx/0.1.0")
    parser.add_argument("--muxer", default="yamux", help="yamux only")
    parser.add_argument("--key-type", choices=["secp256k1", "ed25519"], default="ed25519")
    parser.add_argument("--sign", default="strict", help="strict only")
    parser.add_argument("--msg-id", default="peer-seqno", help="peer-seqno only")
    parser.add_argument("--publish", type=int, default=0)
    parser.add_argument("--size", type=int, default=1024)
    parser.add_argument("--interval", type=int, default=1000, help="milliseconds")
    parser.add_argument("--expect", type=int)
    parser.add_argument("--publish-after", type=int, default=0,
                        help="publish only once this many messages have arrived")
    parser.add_argument("--publish-after-peers", type=int, default=1,
                        help="publish only once this many peers are subscribed to the topic")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--linger", type=float, default=0.0)
    parser.add_argument("--heartbeat", type=float, default=1.0, help="seconds")
    args = parser.parse_args()
    if args.sign != "strict":
        parser.error(f"--sign {args.sign}: p2pd always signs and verifies (StrictSign); only --sign strict")
    if args.msg_id != "peer-seqno":
        parser.error(f"--msg-id {args.msg_id}: p2pd uses go-libp2p-pubsub's from||seqno ids; only --msg-id peer-seqno")
    if args.muxer != "yamux":
        parser.error(f"--muxer {args.muxer}: p2pd offers yamux only (no mplex); only --muxer yamux")
    if not 0 < args.heartbeat <= 3600:
        parser.error("--heartbeat must be in (0, 3600] seconds")
    return args


async def main(args):
    aborted = None
    result = {}  # "ok", once the "done" line is out: a stop during --linger keeps that exit status

    def stop(reason):
        nonlocal aborted
        aborted = reason

    with stop_signals() as signals:
        daemon = Daemon(args.listen, key_type=args.key_type, pubsub=True, heartbeat=args.heartbeat)
        try:
            async with trio.open_nursery() as nursery:
                nursery.start_soon(watch, nursery.cancel_scope, daemon, stop, signals)
                await daemon.ready()
                print(daemon.listen_addr(), flush=True)
                await gossip(args, daemon.client, daemon.peer_id.to_bytes(), nursery, result)
                nursery.cancel_scope.cancel()
        finally:
            daemon.stop()
    if aborted is not None:
        log(f"go_gossip: stopped: {aborted}")
    return 0 if result.get("ok") else 1


async def gossip(args, client, me, nursery, result):
    """Subscribes, dials, publishes and reports; result["ok"] is set when "done" is printed."""
    subscription = await client.pubsub_subscribe(args.topic)
    received = 0
    done = trio.Event()
    # sha256(data) of our own publishes -> an Event set once go delivers the message to us, and
    # the message id (from || seqno, hex) that copy shows.
    own = {}
    own_ids = {}

    async def reader():
        nonlocal received
        while True:
            msg = p2pd_pb2.PSMessage()
            try:
                await read_pbmsg_safe(subscription, msg)
            except (anyio.IncompleteRead, anyio.EndOfStream, anyio.ClosedResourceError):
                return
            sender = getattr(msg, "from")
            digest = hashlib.sha256(msg.data).digest()
            if sender == me:
                # go hands a node its own publishes too: not received from the network.
                own_ids[digest] = (sender + msg.seqno).hex()
                if digest in own:
                    own[digest].set()
                continue
            emit({
                "event": "msg", "topic": msg.topicIDs[0] if msg.topicIDs else "",
                "from": ID(sender).to_base58() if sender else None,
                "seqno": msg.seqno.hex() if msg.seqno else None,
                "data_len": len(msg.data), "sha256": digest.hex(),
            })
            received += 1
            if args.expect is not None and received >= args.expect:
                done.set()

    async def run():
        for target in args.dial:
            try:
                peer, address = split_p2p(target)
                with trio.fail_after(30):
                    await client.connect(peer, [address])
            except Exception as error:  # noqa: BLE001 - reported, like py_gossip.py
                emit({"event": "error", "dial": target, "error": str(error) or repr(error)})
        if args.publish > 0:
            while received < args.publish_after:
                await trio.sleep(0.05)
            while len(await client.pubsub_list_peers(args.topic)) < max(1, args.publish_after_peers):
                await trio.sleep(0.05)
            await trio.sleep(args.heartbeat)
            for n in range(args.publish):
                if n:
                    await trio.sleep(args.interval / 1000)
                data = os.urandom(args.size)
                digest = hashlib.sha256(data).digest()
                own[digest] = trio.Event()
                try:
                    await client.pubsub_publish(args.topic, data)
                except ControlFailure as error:
                    emit({"event": "error", "publish": n, "error": str(error)})
                    continue
                with trio.move_on_after(2):
                    await own[digest].wait()
                emit({"event": "published", "topic": args.topic, "msg_id": own_ids.get(digest, ""),
                      "data_len": len(data), "sha256": digest.hex()})
        if args.expect is None:
            await trio.sleep_forever()
        await done.wait()

    nursery.start_soon(reader)
    with trio.move_on_after(args.timeout):
        await run()
    ok = args.expect is None or received >= args.expect
    emit({"event": "stats", "topic_peers": len(await client.pubsub_list_peers(args.topic)),
          "connected_peers": len(await client.list_peers())})
    emit({"event": "done", "received": received, "ok": ok})
    result["ok"] = ok
    await trio.sleep(args.linger)
    await subscription.aclose()


if __name__ == "__main__":
    sys.exit(trio.run(main, parse_args()))

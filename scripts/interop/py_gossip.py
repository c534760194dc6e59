"""A py-libp2p 0.8.1 GossipSub peer with the command line of `aztec-p2p gossip`.

First stdout line: the full listen multiaddr ending in /p2p/<peer id>. Then one JSON object per
line: {"event":"msg",...} per received message, {"event":"published",...} per publish, and
{"event":"done","received":K,"ok":...}; exit 0 when --expect messages arrived in --timeout.
Like the Swift command, a {"event":"stats",...} line before "done" reports the IDONTWANT ids
this peer sent and received.

What is changed from py-libp2p 0.8.1's defaults, and why (all checked in its source):
  - heartbeat_interval 120 s -> --heartbeat (1 s): with 120 s a mesh forms only by GRAFTs from
    the other side and gossip never runs in a test's lifetime.
  - spam_protection_enabled -> False: it drops more than max_messages_per_topic_per_second (10)
    messages per second per topic from one forwarder, which a burst of test transactions exceeds.
  - eclipse_protection_enabled -> False: its mesh IP-diversity rule sees every loopback peer as
    one IP and grafts/keeps peers for diversity instead of by the protocol's rules.
  - max_idontwant_messages 10 -> 1000: past 10 remembered ids py drops the oldest, so it keeps
    sending messages that peers declined.
  - No flood publishing exists in py-libp2p: publishes go to the mesh (or fanout), so this
    script waits for a subscribed peer and one heartbeat before publishing.
  - --sign none (StrictNoSign): py's publish always sets from and seqno, even with
    strict_signing=False, and its equivocation check keyed on from+seqno drops every unsigned
    message after the first (they all share the empty key). This script publishes messages
    without from/seqno itself (through push_msg) and skips the equivocation check for messages
    that carry neither.
  - Message ids: peer-seqno is py's default (from+seqno); sha256 is the raw 32-byte
    sha256(data) (py's own content-addressed id is base64 of it, which no other peer uses);
    aztec is sha256(topic || data)[:20].
  - --v13: /meshsub/1.3.0 is offered first and the v1.3 Test Extension advertised; the stats
    line then reports how many peers speak v1.3, how many peers' first control-carrying RPC
    advertised the Test Extension (seen at py's router entry, handle_rpc), how many peers py's
    own extension state records as advertising it, and how many duplicate Extensions messages
    py reported as misbehaviour. The two counts differ when py races itself: py registers a
    peer's protocol only after its own hello is written, and ignores the extensions of an RPC
    that arrives before that, so a peer's greeting can be lost on py's side (seen for 2 or 3
    of 5 links).
"""
import argparse
import hashlib
import json
import os
import sys

import multiaddr
import trio
from libp2p import new_host
from libp2p.crypto.ed25519 import create_new_key_pair as ed25519_pair
from libp2p.crypto.secp256k1 import create_new_key_pair as secp256k1_pair
from libp2p.crypto.x25519 import create_new_key_pair as x25519_pair
from libp2p.custom_types import TProtocol
from libp2p.peer.id import ID
from libp2p.peer.peerinfo import info_from_p2p_addr
from libp2p.pubsub.extensions import PeerExtensions
from libp2p.pubsub.gossipsub import GossipSub, PROTOCOL_ID, PROTOCOL_ID_V11, PROTOCOL_ID_V12, PROTOCOL_ID_V13
from libp2p.pubsub.pb import rpc_pb2
from libp2p.pubsub.pubsub import Pubsub
from libp2p.security.noise.transport import PROTOCOL_ID as NOISE_ID, Transport as Noise
from libp2p.stream_muxer.mplex.mplex import MPLEX_PROTOCOL_ID, Mplex
from libp2p.stream_muxer.yamux.yamux import PROTOCOL_ID as YAMUX_ID, Yamux
from libp2p.tools.anyio_service import background_trio_service


def emit(obj):
    print(json.dumps(obj, sort_keys=True), flush=True)


def msg_id_function(kind):
    if kind == "peer-seqno":
        return lambda msg: msg.from_id + msg.seqno
    if kind == "sha256":
        return lambda msg: hashlib.sha256(msg.data).digest()
    return lambda msg: hashlib.sha256((msg.topicIDs[0] if msg.topicIDs else "").encode() + msg.data).digest()[:20]


def make_host(args):
    pair = secp256k1_pair() if args.key_type == "secp256k1" else ed25519_pair()
    muxers = {TProtocol(YAMUX_ID): Yamux} if args.muxer == "yamux" else {MPLEX_PROTOCOL_ID: Mplex}
    noise = Noise(pair, noise_privkey=x25519_pair().private_key)
    return new_host(key_pair=pair, sec_opt={NOISE_ID: noise}, muxer_opt=muxers)


class Counters:
    idontwant_received = 0
    idontwant_sent = 0
    extension_violations = 0
    # peer -> whether its first RPC with a control part advertised the Test Extension
    first_control_test_extension = {}


def instrument(gossipsub, counters):
    """Counts IDONTWANT both ways and relaxes the equivocation check for unsigned messages."""
    handle = gossipsub.handle_idontwant

    async def handle_idontwant(msg, sender):
        counters.idontwant_received += len(msg.messageIDs)
        await handle(msg, sender)

    gossipsub.handle_idontwant = handle_idontwant
    emit_idontwant = gossipsub.emit_idontwant

    async def counted_emit(msg_ids, to_peer):
        counters.idontwant_sent += len(msg_ids)
        await emit_idontwant(msg_ids, to_peer)

    gossipsub.emit_idontwant = counted_emit
    handle_rpc = gossipsub.handle_rpc

    async def observed_handle_rpc(rpc, sender_peer_id):
        if sender_peer_id not in counters.first_control_test_extension:
            counters.first_control_test_extension[sender_peer_id] = (
                rpc.control.HasField("extensions") and rpc.control.extensions.testExtension)
        await handle_rpc(rpc, sender_peer_id)

    gossipsub.handle_rpc = observed_handle_rpc
    state = gossipsub.extensions_state
    report = state._report_misbehaviour

    def counted_report(peer_id):
        counters.extension_violations += 1
        if report is not None:
            report(peer_id)

    state.set_report_misbehaviour(counted_report)
    check = gossipsub._check_equivocation
    gossipsub._check_equivocation = lambda msg: True if not msg.from_id and not msg.seqno else check(msg)


async def publish_unsigned(pubsub, topic, data):
    """StrictNoSign publish: no from, seqno, signature or key."""
    msg = rpc_pb2.Message(data=data, topicIDs=[topic])
    await pubsub.push_msg(pubsub.my_id, msg)
    return pubsub._msg_id_constructor(msg)


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--listen", default="/ip4/127.0.0.1/tcp/0")
    parser.add_argument("--dial", action="append", default=[])
    parser.add_argument("--topic", default="/aztec/tx/0.1.0")
    parser.add_argument("--muxer", choices=["yamux", "mplex"], default="yamux")
    parser.add_argument("--key-type", choices=["secp256k1", "ed25519"], default="ed25519")
    parser.add_argument("--sign", choices=["strict", "none"], default="strict")
    parser.add_argument("--msg-id", choices=["peer-seqno", "sha256", "aztec"], default="peer-seqno")
    parser.add_argument("--publish", type=int, default=0)
    parser.add_argument("--size", type=int, default=1024)
    parser.add_argument("--interval", type=int, default=1000, help="milliseconds")
    parser.add_argument("--expect", type=int)
    parser.add_argument("--publish-after", type=int, default=0,
                        help="publish only once this many messages have arrived")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--linger", type=float, default=0.0)
    parser.add_argument("--heartbeat", type=int, default=1, help="seconds (py-libp2p takes an int)")
    parser.add_argument("--v13", action="store_true", help="offer /meshsub/1.3.0 with the Test Extension")
    args = parser.parse_args()
    if args.msg_id == "peer-seqno" and args.sign == "none":
        parser.error("--msg-id peer-seqno needs --sign strict")

    host = make_host(args)
    gossipsub = GossipSub(
        protocols=([PROTOCOL_ID_V13] if args.v13 else []) + [PROTOCOL_ID_V12, PROTOCOL_ID_V11, PROTOCOL_ID],
        my_extensions=PeerExtensions(test_extension=True) if args.v13 else None,
        degree=6, degree_low=4, degree_high=12,
        heartbeat_interval=args.heartbeat,
        heartbeat_initial_delay=0.1,
        max_idontwant_messages=1000,
        spam_protection_enabled=False,
        eclipse_protection_enabled=False,
    )
    pubsub = Pubsub(
        host, gossipsub, strict_signing=args.sign == "strict",
        msg_id_constructor=msg_id_function(args.msg_id),
        max_inbound_rpc_size=1 << 21,
    )
    counters = Counters()
    instrument(gossipsub, counters)
    received = 0
    done = trio.Event()

    async with host.run(listen_addrs=[multiaddr.Multiaddr(args.listen)]):
        async with background_trio_service(pubsub):
            async with background_trio_service(gossipsub):
                await pubsub.wait_until_ready()
                addr = [a for a in host.get_addrs() if "/tcp/" in str(a)][0]
                text = str(addr)
                if "/p2p/" not in text:
                    text += f"/p2p/{host.get_id()}"
                print(text, flush=True)
                subscription = await pubsub.subscribe(args.topic)

                own = set()

                async def reader():
                    nonlocal received
                    while True:
                        msg = await subscription.get()
                        # py-libp2p hands a node its own publishes too: not received from the network.
                        if hashlib.sha256(msg.data).digest() in own:
                            continue
                        emit({
                            "event": "msg", "topic": msg.topicIDs[0] if msg.topicIDs else "",
                            "from": ID(msg.from_id).to_base58() if msg.from_id else None,
                            "seqno": msg.seqno.hex() if msg.seqno else None,
                            "data_len": len(msg.data), "sha256": hashlib.sha256(msg.data).hexdigest(),
                        })
                        received += 1
                        if args.expect is not None and received >= args.expect:
                            done.set()

                async def run():
                    for target in args.dial:
                        try:
                            await host.connect(info_from_p2p_addr(multiaddr.Multiaddr(target)))
                        except Exception as error:  # noqa: BLE001
                            emit({"event": "error", "dial": target, "error": str(error)})
                    if args.publish > 0:
                        while received < args.publish_after:
                            await trio.sleep(0.05)
                        while not pubsub.peer_topics.get(args.topic):
                            await trio.sleep(0.05)
                        # No flood publishing: wait until the mesh has formed.
                        with trio.move_on_after(10):
                            while not gossipsub.mesh.get(args.topic):
                                await trio.sleep(0.05)
                        await trio.sleep(args.heartbeat)
                        for n in range(args.publish):
                            if n:
                                await trio.sleep(args.interval / 1000)
                            data = os.urandom(args.size)
                            own.add(hashlib.sha256(data).digest())
                            if args.sign == "none":
                                msg_id = await publish_unsigned(pubsub, args.topic, data)
                            else:
                                await pubsub.publish(args.topic, data)
                                msg_id = b""
                            emit({"event": "published", "topic": args.topic, "msg_id": msg_id.hex(),
                                  "data_len": len(data), "sha256": hashlib.sha256(data).hexdigest()})
                    if args.expect is None:
                        await trio.sleep_forever()
                    await done.wait()

                async with trio.open_nursery() as nursery:
                    nursery.start_soon(reader)
                    with trio.move_on_after(args.timeout):
                        await run()
                    ok = args.expect is None or received >= args.expect
                    peers = list(gossipsub.peer_protocol)
                    emit({"event": "stats", "idontwant_sent": counters.idontwant_sent,
                          "idontwant_received": counters.idontwant_received,
                          "v13_peers": sum(gossipsub.peer_protocol[p] == PROTOCOL_ID_V13 for p in peers),
                          "greeted_with_test_extension": sum(counters.first_control_test_extension.values()),
                          "test_extension_peers": sum(
                              gossipsub.extensions_state.peer_supports_test_extension(p) for p in peers),
                          "extension_violations": counters.extension_violations})
                    emit({"event": "done", "received": received, "ok": ok})
                    await trio.sleep(args.linger)
                    nursery.cancel_scope.cancel()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    trio.run(main)

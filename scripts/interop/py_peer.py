"""py-libp2p 0.8.1 peers for the interop tests: Noise only, one muxer and one key type per host.

One process runs one or more hosts (`--host MUXER:KEYTYPE`, repeatable), so a test suite pays
Python's start-up once. Each host listens and prints one JSON line
  {"listen": [...full multiaddrs...], "peer": ID, "muxer": M, "key_type": K}
then serves:
  /ipfs/id/1.0.0, /ipfs/id/push/1.0.0, /ipfs/ping/1.0.0   (py-libp2p's own)
  /interop/echo/1.0.0      echoes everything until the writer half-closes
  /interop/sha256/1.0.0    reads until half-close, answers the hex sha256 of what it read
  /interop/control/1.0.0   one JSON request line, half-close; JSON result lines back, then close:
      {"dial": MULTIADDR, "checks": [CHECK, ...]}   dial that peer and run the checks
      {"peerinfo": PEER_ID}                         what identify taught this host about a peer
Checks: "identify", "ping=N", "echo=SIZE", "sha256=SIZE", "parallel=COUNTxSIZE".

`--dial MULTIADDR --check ...` (single host) dials at start-up and prints the results instead.
"""
import argparse
import hashlib
import json
import os
import time

import multiaddr
import trio
from libp2p import new_host
from libp2p.crypto.ed25519 import create_new_key_pair as ed25519_pair
from libp2p.crypto.secp256k1 import create_new_key_pair as secp256k1_pair
from libp2p.crypto.serialization import deserialize_public_key
from libp2p.crypto.x25519 import create_new_key_pair as x25519_pair
from libp2p.custom_types import TProtocol
from libp2p.host.ping import PingService
from libp2p.identity.identify.pb.identify_pb2 import Identify
from libp2p.peer.id import ID
from libp2p.peer.peerinfo import info_from_p2p_addr
from libp2p.security.noise.transport import PROTOCOL_ID as NOISE_ID, Transport as Noise
from libp2p.stream_muxer.mplex.mplex import MPLEX_PROTOCOL_ID, Mplex
from libp2p.stream_muxer.yamux.yamux import PROTOCOL_ID as YAMUX_ID, Yamux
from libp2p.utils import read_length_prefixed_protobuf

ECHO = TProtocol("/interop/echo/1.0.0")
SHA256 = TProtocol("/interop/sha256/1.0.0")
CONTROL = TProtocol("/interop/control/1.0.0")
IDENTIFY = TProtocol("/ipfs/id/1.0.0")
CHUNK = 65536
# id(host) -> muxer name, for checks that must work around a muxer's quirks.
MUXER_OF = {}


def emit(obj):
    print(json.dumps(obj), flush=True)


def payload_of(size, seed=0):
    pattern = bytes(((i * 31 + 7 + seed) & 0xFF) for i in range(4096))
    return (pattern * (size // 4096 + 1))[:size]


async def read_chunk(stream):
    """Up to 64 KiB; b"" at end of stream (py-libp2p raises EOFError subclasses there)."""
    try:
        return await stream.read(CHUNK)
    except EOFError:
        return b""


async def read_all(stream, limit=1 << 26):
    chunks, total = [], 0
    while True:
        data = await read_chunk(stream)
        if not data:
            return b"".join(chunks)
        chunks.append(data)
        total += len(data)
        if total > limit:
            raise ValueError("too much data")


async def write_all(stream, payload):
    view = memoryview(payload)
    for offset in range(0, len(payload), CHUNK):
        await stream.write(bytes(view[offset:offset + CHUNK]))
    await stream.close_write()


async def handle_echo(stream):
    while True:
        data = await read_chunk(stream)
        if not data:
            break
        await stream.write(data)
    await stream.close()


async def handle_sha256(stream):
    digest = hashlib.sha256()
    while True:
        data = await read_chunk(stream)
        if not data:
            break
        digest.update(data)
    await stream.write(digest.hexdigest().encode())
    await stream.close()


def make_host(muxer, key_type):
    pair = secp256k1_pair() if key_type == "secp256k1" else ed25519_pair()
    muxers = {TProtocol(YAMUX_ID): Yamux} if muxer == "yamux" else {MPLEX_PROTOCOL_ID: Mplex}
    # Only Noise: new_host would otherwise also offer TLS, secio and plaintext.
    noise = Noise(pair, noise_privkey=x25519_pair().private_key)
    return new_host(key_pair=pair, sec_opt={NOISE_ID: noise}, muxer_opt=muxers)


async def echo_once(host, peer_id, size, seed=0):
    payload = payload_of(size, seed)
    stream = await host.new_stream(peer_id, [ECHO])
    received = bytearray()
    if MUXER_OF.get(id(host)) == "mplex":
        # py-libp2p 0.8.1's MplexStream.read holds the stream's readers-writer lock while it
        # waits for data, and write needs that lock exclusively: a read pending on a stream
        # blocks every write on it. Writing from one task while another reads therefore
        # deadlocks whenever trio's (deliberately randomised) scheduler lets the reader take
        # the lock first. So over mplex: write one chunk, read its echo, repeat.
        view = memoryview(payload)
        for offset in range(0, size, CHUNK):
            chunk = bytes(view[offset:offset + CHUNK])
            await stream.write(chunk)
            while len(received) < offset + len(chunk):
                data = await read_chunk(stream)
                if not data:
                    break
                received.extend(data)
        await stream.close_write()
        while True:
            data = await read_chunk(stream)
            if not data:
                break
            received.extend(data)
    else:
        async with trio.open_nursery() as nursery:
            nursery.start_soon(write_all, stream, payload)
            while True:
                data = await read_chunk(stream)
                if not data:
                    break
                received.extend(data)
    # Without a full close py-libp2p's mplex keeps the stream and its slot (a third
    # sequential stream then hangs); yamux does not care.
    await stream.close()
    return bytes(received) == payload


async def run_check(host, info, check):
    name, _, arg = check.partition("=")
    if name == "identify":
        stream = await host.new_stream(info.peer_id, [IDENTIFY])
        data = await read_length_prefixed_protobuf(stream, use_varint_format=True)
        await stream.close()
        message = Identify()
        message.ParseFromString(data)
        key = deserialize_public_key(message.public_key)
        return {
            "check": "identify",
            "key_matches": ID.from_pubkey(key) == info.peer_id,
            "protocols": sorted(message.protocols),
            "listen_addrs": [str(multiaddr.Multiaddr(a)) for a in message.listen_addrs],
            "observed_addr": str(multiaddr.Multiaddr(message.observed_addr)) if message.observed_addr else None,
            "agent": message.agent_version,
            "protocol_version": message.protocol_version,
        }
    if name == "ping":
        rtts = await PingService(host).ping(info.peer_id, int(arg))
        return {"check": "ping", "rtts": rtts}
    if name == "echo":
        return {"check": "echo", "size": int(arg), "ok": await echo_once(host, info.peer_id, int(arg))}
    if name == "sha256":
        size = int(arg)
        payload = payload_of(size)
        start = time.monotonic()
        stream = await host.new_stream(info.peer_id, [SHA256])
        await write_all(stream, payload)
        answer = (await read_all(stream, limit=1024)).decode()
        elapsed = time.monotonic() - start
        return {"check": "sha256", "size": size, "ok": answer == hashlib.sha256(payload).hexdigest(),
                "seconds": elapsed}
    if name == "parallel":
        count, _, size = arg.partition("x")
        results = []

        async def one(i):
            results.append(await echo_once(host, info.peer_id, int(size), seed=i))

        async with trio.open_nursery() as nursery:
            for i in range(int(count)):
                nursery.start_soon(one, i)
        return {"check": "parallel", "count": int(count), "ok": sum(1 for r in results if r)}
    return {"check": name, "error": "unknown check"}


async def run_checks(host, target, checks, out):
    try:
        info = info_from_p2p_addr(multiaddr.Multiaddr(target))
        # py-libp2p's connect has no deadline of its own; a stalled dial must be reported.
        with trio.fail_after(30):
            await host.connect(info)
    except Exception as error:  # reported to the test, not raised (TooSlowError included)
        await out({"check": "dial", "error": repr(error)})
        return
    for check in checks:
        try:
            with trio.fail_after(30):
                result = await run_check(host, info, check)
        except BaseException as error:  # noqa: BLE001 - the test wants every failure as data
            if isinstance(error, trio.Cancelled):
                raise
            result = {"check": check, "error": repr(error)}
        await out(result)


async def peer_info(host, peer):
    peer_id = ID.from_base58(peer)
    store = host.get_peerstore()
    protocols, addrs = [], []
    with trio.move_on_after(10):
        while True:
            try:
                protocols = sorted(store.get_protocols(peer_id))
                addrs = [str(a) for a in store.addrs(peer_id)]
            except Exception:
                protocols, addrs = [], []
            if protocols:
                break
            await trio.sleep(0.05)
    return {"peerinfo": peer, "protocols": protocols, "listen_addrs": addrs}


def control_handler(host):
    async def handle(stream):
        try:
            request = json.loads((await read_all(stream, limit=65536)).decode())

            async def out(obj):
                await stream.write((json.dumps(obj) + "\n").encode())

            if "dial" in request:
                await run_checks(host, request["dial"], request.get("checks", []), out)
            elif "peerinfo" in request:
                await out(await peer_info(host, request["peerinfo"]))
            await stream.close()
        except Exception:
            await stream.reset()
    return handle


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", action="append", default=[], help="MUXER:KEYTYPE, repeatable")
    parser.add_argument("--listen", default="/ip4/127.0.0.1/tcp/0")
    parser.add_argument("--dial")
    parser.add_argument("--key-type", choices=["secp256k1", "ed25519"], default="secp256k1")
    parser.add_argument("--muxer", choices=["yamux", "mplex"], default="yamux")
    parser.add_argument("--check", action="append", default=[])
    parser.add_argument("--lifetime", type=float, default=600.0)
    args = parser.parse_args()

    specs = [tuple(h.split(":")) for h in args.host] or [(args.muxer, args.key_type)]
    hosts = []
    for muxer, key_type in specs:
        host = make_host(muxer, key_type)
        MUXER_OF[id(host)] = muxer
        host.set_stream_handler(ECHO, handle_echo)
        host.set_stream_handler(SHA256, handle_sha256)
        host.set_stream_handler(CONTROL, control_handler(host))
        hosts.append((host, muxer, key_type))

    done = trio.Event()

    async def serve(index, task_status=trio.TASK_STATUS_IGNORED):
        host, muxer, key_type = hosts[index]
        async with host.run(listen_addrs=[multiaddr.Multiaddr(args.listen)]):
            emit({"listen": [str(a) for a in host.get_addrs()], "peer": str(host.get_id()),
                  "muxer": muxer, "key_type": key_type})
            task_status.started()
            if args.dial:
                async def out(obj):
                    emit(obj)
                await run_checks(host, args.dial, args.check, out)
                done.set()
                return
            await trio.sleep_forever()

    parent = os.getppid()

    async def watch_parent(cancel_scope):
        # A test run that dies without stopping us must not leave us behind; dial mode ends
        # when its checks are done.
        while os.getppid() == parent and not done.is_set():
            await trio.sleep(0.2)
        cancel_scope.cancel()

    with trio.move_on_after(args.lifetime):
        async with trio.open_nursery() as nursery:
            nursery.start_soon(watch_parent, nursery.cancel_scope)
            for index in range(len(hosts)):
                await nursery.start(serve, index)


if __name__ == "__main__":
    trio.run(main)

"""A py-libp2p 0.8.1 peer for interop tests: Noise only, one muxer, one key type.

Listens (printing its full multiaddr on the first stdout line) or dials, and serves:
  /ipfs/id/1.0.0 and /ipfs/ping/1.0.0   (py-libp2p defaults)
  /interop/echo/1.0.0                    echoes everything until the writer half-closes
  /interop/sha256/1.0.0                  reads until half-close, answers the hex sha256 of what it read

Dial mode runs the checks given on the command line and prints one JSON object per check.
"""
import argparse
import hashlib
import json
import sys

import multiaddr
import trio
from libp2p import new_host
from libp2p.crypto.ed25519 import create_new_key_pair as ed25519_pair
from libp2p.crypto.secp256k1 import create_new_key_pair as secp256k1_pair
from libp2p.crypto.x25519 import create_new_key_pair as x25519_pair
from libp2p.custom_types import TProtocol
from libp2p.peer.peerinfo import info_from_p2p_addr
from libp2p.security.noise.transport import PROTOCOL_ID as NOISE_ID, Transport as Noise
from libp2p.stream_muxer.mplex.mplex import MPLEX_PROTOCOL_ID, Mplex
from libp2p.stream_muxer.yamux.yamux import PROTOCOL_ID as YAMUX_ID, Yamux

ECHO = TProtocol("/interop/echo/1.0.0")
SHA256 = TProtocol("/interop/sha256/1.0.0")


async def read_chunk(stream):
    """Reads up to 64 KiB; b"" at end of stream (py-libp2p raises EOFError subclasses there)."""
    try:
        return await stream.read(65536)
    except EOFError:
        return b""


def emit(obj):
    print(json.dumps(obj), flush=True)


async def read_all(stream):
    chunks = []
    while True:
        data = await read_chunk(stream)
        if not data:
            return b"".join(chunks)
        chunks.append(data)


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


def make_host(args):
    pair = secp256k1_pair() if args.key_type == "secp256k1" else ed25519_pair()
    muxers = {TProtocol(YAMUX_ID): Yamux} if args.muxer == "yamux" else {MPLEX_PROTOCOL_ID: Mplex}
    noise = Noise(pair, noise_privkey=x25519_pair().private_key)
    return new_host(key_pair=pair, sec_opt={NOISE_ID: noise}, muxer_opt=muxers)


async def run_checks(host, target, checks):
    info = info_from_p2p_addr(multiaddr.Multiaddr(target))
    await host.connect(info)
    for check in checks:
        name, _, arg = check.partition("=")
        if name == "echo":
            size = int(arg)
            payload = bytes((i * 31 + 7) & 0xFF for i in range(size))
            stream = await host.new_stream(info.peer_id, [ECHO])
            received = bytearray()

            async def writer():
                view = memoryview(payload)
                for offset in range(0, size, 65536):
                    await stream.write(bytes(view[offset:offset + 65536]))
                await stream.close_write()

            async with trio.open_nursery() as nursery:
                nursery.start_soon(writer)
                while len(received) < size:
                    data = await read_chunk(stream)
                    if not data:
                        break
                    received.extend(data)
            emit({"check": "echo", "size": size, "ok": bytes(received) == payload})
        elif name == "protocols":
            protocols = host.get_peerstore().get_protocols(info.peer_id)
            emit({"check": "protocols", "protocols": sorted(protocols)})
        else:
            raise SystemExit(f"unknown check {name}")


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--listen", default="/ip4/127.0.0.1/tcp/0")
    parser.add_argument("--dial")
    parser.add_argument("--key-type", choices=["secp256k1", "ed25519"], default="secp256k1")
    parser.add_argument("--muxer", choices=["yamux", "mplex"], default="yamux")
    parser.add_argument("--check", action="append", default=[])
    parser.add_argument("--lifetime", type=float, default=120.0)
    args = parser.parse_args()

    host = make_host(args)
    host.set_stream_handler(ECHO, handle_echo)
    host.set_stream_handler(SHA256, handle_sha256)
    async with host.run(listen_addrs=[multiaddr.Multiaddr(args.listen)]):
        emit({"listen": [str(a) for a in host.get_addrs()], "peer": str(host.get_id())})
        with trio.move_on_after(args.lifetime):
            if args.dial:
                await run_checks(host, args.dial, args.check)
                return
            await trio.sleep_forever()


if __name__ == "__main__":
    trio.run(main)

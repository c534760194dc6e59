#!/usr/bin/env python3
"""Builds an alternative conformance vector set from the shared one, in the same formats.

The conformance suites must accept any vector set in the formats of ../shared/vectors/README.md,
not only the files that happen to be there. This script writes such a set: cases removed and
reordered, each suite's favourite case deleted, optional fields deleted, a snow-format Noise
file, cases of kinds the suites must report as skipped (unsupported Noise algorithms, SSZ types
without a Swift type, unknown discv5 message types, unknown key types and hash algorithms), an
invalid ENR with a rule text no suite knows, and extra discv5 messages of every codec type.

    scripts/make_alt_vectors.py [--source ../shared/vectors] [--out /tmp/altvectors] [--snow FILE]
    CONFORMANCE_VECTORS=/tmp/altvectors CI=1 swift test --skip-build --filter '<suites>'

`--snow` adds a real snow-generated file (mcginty/snow tests/vectors/snow.txt) as well.
With `--corrupt AREA`, one expected output of that area is changed by one byte, which must make
that area's suite fail.
"""
import argparse
import base64
import json
import os
import random
import shutil


def rlp_bytes(data: bytes) -> bytes:
    if len(data) == 1 and data[0] < 0x80:
        return data
    return rlp_length(len(data), 0x80) + data


def rlp_list(items) -> bytes:
    body = b"".join(items)
    return rlp_length(len(body), 0xC0) + body


def rlp_length(length: int, offset: int) -> bytes:
    if length < 56:
        return bytes([offset + length])
    encoded = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([offset + 55 + len(encoded)]) + encoded


def rlp_uint(value: int) -> bytes:
    return rlp_bytes(value.to_bytes((value.bit_length() + 7) // 8, "big") if value else b"")


def snappy_literal_block(data: bytes) -> bytes:
    """Snappy block format with one literal (valid, if not compressed)."""
    out = bytearray()
    n = len(data)
    while True:  # uncompressed length, varint
        byte = n & 0x7F
        n >>= 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            break
    if data:
        length = len(data) - 1
        if length < 60:
            out.append(length << 2)
        else:
            size = (length.bit_length() + 7) // 8
            out.append((59 + size) << 2)
            out += length.to_bytes(size, "little")
        out += data
    return bytes(out)


# secp256k1, for the compressed ECDH point discv5 uses (the cryptography package gives only x).
P = 2**256 - 2**32 - 977
N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
G = (0x79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798,
     0x483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8)


def point_add(a, b):
    if a is None:
        return b
    if b is None:
        return a
    if a[0] == b[0] and (a[1] + b[1]) % P == 0:
        return None
    if a == b:
        slope = 3 * a[0] * a[0] * pow(2 * a[1], -1, P) % P
    else:
        slope = (b[1] - a[1]) * pow(b[0] - a[0], -1, P) % P
    x = (slope * slope - a[0] - b[0]) % P
    return x, (slope * (a[0] - x) - a[1]) % P


def point_mul(k, point):
    result = None
    while k:
        if k & 1:
            result = point_add(result, point)
        point = point_add(point, point)
        k >>= 1
    return result


def compressed(point):
    return bytes([2 + (point[1] & 1)]) + point[0].to_bytes(32, "big")


def handshake_with_record(wire, record_rlp):
    """A discv5 handshake packet (flag 2) carrying `record_rlp`, written independently of the
    Swift code with the `cryptography` package, from the inputs of the file's handshake packet
    with whoareyou.enr-seq 0 (so the initiator must send its record)."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, utils
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF
    import hashlib

    template = next(p for p in wire["packets"] if p["flag"] == 2)
    inputs = dict(template["inputs"])
    node_a = int(wire["keys"]["node_a_key"], 16)
    node_b = int(wire["keys"]["node_b_key"], 16)
    src, dest = bytes.fromhex(wire["keys"]["node_a_id"]), bytes.fromhex(inputs["dest_node_id"])
    masking_iv = bytes.fromhex(template["decoded"]["masking_iv"])
    nonce = bytes.fromhex(inputs["nonce"])
    challenge = bytearray.fromhex(inputs["whoareyou_challenge_data"])
    challenge[-8:] = bytes(8)  # whoareyou.enr-seq = 0
    challenge = bytes(challenge)
    ephemeral = int(inputs["ephemeral_key"], 16)
    ephemeral_pub = compressed(point_mul(ephemeral, G))
    shared = compressed(point_mul(ephemeral, point_mul(node_b, G)))
    key_data = HKDF(algorithm=hashes.SHA256(), length=32, salt=challenge,
                    info=b"discovery v5 key agreement" + src + dest).derive(shared)
    initiator_key = key_data[:16]
    digest = hashlib.sha256(b"discovery v5 identity proof" + challenge + ephemeral_pub + dest).digest()
    der = ec.derive_private_key(node_a, ec.SECP256K1()).sign(digest, ec.ECDSA(utils.Prehashed(hashes.SHA256())))
    r, s = utils.decode_dss_signature(der)
    s = min(s, N - s)  # low s
    signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    authdata = src + bytes([64, 33]) + signature + ephemeral_pub + record_rlp
    header = b"discv5" + b"\x00\x01" + b"\x02" + nonce + len(authdata).to_bytes(2, "big") + authdata
    ping = b"\x01" + rlp_list([rlp_bytes(bytes.fromhex(inputs["ping_req_id"])), rlp_uint(inputs["ping_enr_seq"])])
    ciphertext = AESGCM(initiator_key).encrypt(nonce, ping, masking_iv + header)
    encryptor = Cipher(algorithms.AES(dest[:16]), modes.CTR(masking_iv)).encryptor()
    masked = encryptor.update(header) + encryptor.finalize()
    inputs.update(whoareyou_challenge_data=challenge.hex(), whoareyou_enr_seq=0, read_key=initiator_key.hex())
    return {
        "name": "Ping handshake packet with a record (flag 2), written by make_alt_vectors.py",
        "flag": 2, "inputs": inputs, "encoded_packet": (masking_iv + masked + ciphertext).hex(),
        "decoded": {
            "protocol_id": "discv5", "version": 1, "flag": 2, "nonce": nonce.hex(), "authdata": authdata.hex(),
            "masking_iv": masking_iv.hex(), "message_ciphertext": ciphertext.hex(), "src_id": src.hex(),
            "id_signature": signature.hex(), "ephemeral_pubkey": ephemeral_pub.hex(), "record": record_rlp.hex(),
            "message_plaintext": ping.hex(),
        },
    }


def load(path):
    with open(path) as f:
        return json.load(f)


def save(path, value):
    with open(path, "w") as f:
        json.dump(value, f, indent=1)


def noise(out, rng, snow):
    path = os.path.join(out, "noise", "cacophony.txt")
    vectors = load(path)["vectors"]
    # Favourite case gone, handshake_hash (optional) gone from half, order shuffled.
    vectors = [v for v in vectors if v["protocol_name"] != "Noise_XX_25519_ChaChaPoly_SHA256"]
    for v in vectors[::2]:
        v.pop("handshake_hash", None)
    rng.shuffle(vectors)
    kept = vectors[: len(vectors) // 2]
    save(path, {"vectors": kept})
    # A snow-layout file made of the other half: no handshake_hash, PSK lists always present,
    # and vectors naming features the suite must skip with a reason.
    snow_layout = []
    for v in vectors[len(vectors) // 2 :][:60]:
        v = dict(v)
        v.pop("handshake_hash", None)
        v.setdefault("init_psks", [])
        v.setdefault("resp_psks", [])
        snow_layout.append(v)
    template = dict(snow_layout[0])
    snow_layout.append(dict(template, protocol_name="Noise_XX_448_ChaChaPoly_SHA256"))
    snow_layout.append(dict(template, protocol_name="Noise_XXhfs_25519+Kyber1024_ChaChaPoly_SHA256", hybrid="Kyber1024"))
    snow_layout.append(dict(template, protocol_name="Noise_IK_25519_ChaChaPoly_SHA256", fallback=True, fallback_pattern="XXfallback"))
    snow_layout.append(dict(template, protocol_name="Noise_XXfallback_25519_ChaChaPoly_SHA256"))
    save(os.path.join(out, "noise", "snow-layout.json"), {"vectors": snow_layout})
    if snow:
        shutil.copy(snow, os.path.join(out, "noise", "snow.txt"))
    with open(os.path.join(out, "noise", "notes.txt"), "w") as f:
        f.write("not a vector file: must be reported as skipped\n")


def ssz(out, rng):
    root = os.path.join(out, "ssz", "ssz_generic")
    for handler in sorted(os.listdir(root)):
        for suite in ("valid", "invalid"):
            folder = os.path.join(root, handler, suite)
            if not os.path.isdir(folder):
                continue
            cases = sorted(os.listdir(folder))
            # Drop about a third, and always the first case of the folder.
            for case in cases[:1] + rng.sample(cases[1:], len(cases[1:]) // 3):
                shutil.rmtree(os.path.join(folder, case))
    # An invalid case naming a type that is itself invalid: a zero-length bitvector.
    bitvec0 = os.path.join(root, "bitvector", "invalid", "bitvec_0")
    os.makedirs(bitvec0, exist_ok=True)
    with open(os.path.join(bitvec0, "serialized.ssz_snappy"), "wb") as f:
        f.write(snappy_literal_block(b"\x00"))
    # Cases naming types the suite has no Swift type for: skipped with a reason.
    valid = os.path.join(root, "basic_vector", "valid")
    source = next(c for c in sorted(os.listdir(valid)) if c.startswith("vec_uint8_"))
    shutil.copytree(os.path.join(valid, source), os.path.join(valid, "vec_uint8_7_alt"))
    odd = os.path.join(root, "bitvector", "invalid", "bitvec_6_zero_7")
    os.makedirs(odd, exist_ok=True)
    with open(os.path.join(odd, "serialized.ssz_snappy"), "wb") as f:
        f.write(snappy_literal_block(b"\x00"))


def snappy(out, rng):
    base = os.path.join(out, "snappy")
    shutil.rmtree(os.path.join(base, "golden"))
    os.remove(os.path.join(base, "testdata", "baddata2.snappy"))
    os.remove(os.path.join(base, "testdata-compressed", "alice29.txt.sz"))
    os.remove(os.path.join(base, "testdata-compressed", "html.rawsnappy"))
    for name in ("block/snappy_block_decode.json", "framing/snappy_framing_decode.json"):
        path = os.path.join(base, name)
        document = load(path)
        cases = document["cases"][1:]
        rng.shuffle(cases)
        for case in cases:
            for optional in ("origin", "cross_check"):
                case.pop(optional, None)
        document["cases"] = cases
        save(path, document)


def discv5(out, rng):
    base = os.path.join(out, "discv5")
    path = os.path.join(base, "discv5_wire_test_vectors.json")
    wire = load(path)
    packets = [p for p in wire["packets"] if p["flag"] != 0]  # the message packet removed
    for packet in packets:
        if packet["flag"] == 1:  # WHOAREYOU: the duplicated decoded fields are optional
            for optional in ("id_nonce", "enr_seq"):
                packet["decoded"].pop(optional, None)
        if packet["flag"] == 2:
            packet["decoded"].pop("record", None)  # empty record: the field may be absent
    # A handshake that carries the sender's record (node A's record from enr_records.json).
    records = load(os.path.join(out, "enr", "enr_records.json"))["records"]
    node_a_record = next((r for r in records if r.get("node_id") == wire["keys"].get("node_a_id")), None)
    if node_a_record is not None:
        packets.append(handshake_with_record(wire, bytes.fromhex(node_a_record["rlp"])))
    packets.reverse()
    wire["packets"] = packets
    wire["crypto"].pop("ecdh", None)
    wire["keys"].pop("node_a_id", None)
    wire["keys"].pop("node_b_id", None)
    save(path, wire)

    path = os.path.join(base, "discv5_message_encodings.json")
    document = load(path)
    messages = [m for m in document["messages"] if not m["name"].startswith("FINDNODE")]
    nodes = next(m for m in document["messages"] if m["valid"] and m["expected"]["type"] == "NODES" and m["expected"]["enrs"])
    enr_text = nodes["expected"]["enrs"][0]
    enr_rlp = base64.urlsafe_b64decode(enr_text[4:] + "=" * (-len(enr_text[4:]) % 4))
    topic = bytes(range(32))

    def add(name, type_byte, items, expected):
        messages.append({"name": name, "encoded": (bytes([type_byte]) + rlp_list(items)).hex(), "valid": True, "expected": expected})

    add("TALKREQ, req-id 0x05, protocol 'portal', request 0x0102", 0x05,
        [rlp_bytes(b"\x05"), rlp_bytes(b"portal"), rlp_bytes(b"\x01\x02")],
        {"type": "TALKREQ", "request_id": "05", "protocol": b"portal".hex(), "request": "0102"})
    add("REGTOPIC with a record, no ticket, distances [256]", 0x07,
        [rlp_bytes(b"\x01"), rlp_bytes(topic), enr_rlp, rlp_bytes(b""), rlp_list([rlp_uint(256)])],
        {"type": "REGTOPIC", "request_id": "01", "topic": topic.hex(), "enr": enr_text, "ticket": ""})
    add("REGCONFIRMATION admitted", 0x08, [rlp_bytes(b"\x02"), rlp_uint(1), rlp_bytes(b""), rlp_uint(900000)],
        {"type": "REGCONFIRMATION", "request_id": "02", "total": 1, "ticket": "", "wait_time": 900000})
    add("TOPICQUERY", 0x09, [rlp_bytes(b"\x03"), rlp_bytes(topic), rlp_list([])],
        {"type": "TOPICQUERY", "request_id": "03", "topic": topic.hex()})
    add("TOPICNODES with one record", 0x0A, [rlp_bytes(b"\x04"), rlp_uint(1), rlp_list([enr_rlp])],
        {"type": "TOPICNODES", "request_id": "04", "total": 1, "enrs": [enr_text], "future_field": "ignored"})
    add("a message type from the future", 0x0B, [rlp_bytes(b"\x01")], {"type": "FUTURE", "request_id": "01"})
    messages.append({"name": "unknown type 0x0B must be rejected", "encoded": "0bc101", "valid": False, "expected": None})
    rng.shuffle(messages)
    document["messages"] = messages
    save(path, document)


def enr(out, rng):
    base = os.path.join(out, "enr")
    path = os.path.join(base, "enr_records.json")
    document = load(path)
    records = document["records"]
    for record in records:
        if record.get("valid"):
            record.pop("signing_hash_keccak256", None)
            record.pop("text", None)
    truncated = bytes.fromhex(next(r for r in records if r.get("valid"))["rlp"])[:-1]
    records = records[1:]  # the first (node A's record) removed
    records.append({
        "name": "record cut one byte short", "valid": False, "violated_rule": "a rule text no suite has seen",
        "rlp": truncated.hex(), "text": "enr:" + base64.urlsafe_b64encode(truncated).decode().rstrip("="),
    })
    rng.shuffle(records)
    document["records"] = records
    save(path, document)
    for name in ("rlp/rlptest.json", "rlp/invalidRLPTest.json"):
        path = os.path.join(base, name)
        cases = list(load(path).items())[1:]
        rng.shuffle(cases)
        save(path, dict(cases))


def peer_ids(out, rng):
    base = os.path.join(out, "peer-ids")
    shutil.rmtree(os.path.join(base, "go-libp2p-crypto-test_data"))
    path = os.path.join(base, "peer_id_keys.json")
    document = load(path)
    document.pop("text_examples", None)
    keys = document["keys"][1:]
    keys.append(dict(document["keys"][0], key_type="from the future", key_type_enum=9))
    rng.shuffle(keys)
    document["keys"] = keys
    save(path, document)
    path = os.path.join(base, "multihash", "test_cases.csv")
    with open(path) as f:
        lines = f.read().splitlines()
    rows = [line.split(",") for line in lines[1:] if line]
    rng.shuffle(rows)
    rows = rows[1:] + [["blake2b-256", "256", "foo", "a0e402200000"]]
    with open(path, "w") as f:  # columns reordered: the header names them
        f.write("bits,multihash,algorithm,input\n")
        for algorithm, bits, text, multihash in rows:
            f.write(f"{bits},{multihash},{algorithm},{text}\n")
    os.remove(os.path.join(base, "multibase", "leading_zero.csv"))
    with open(os.path.join(base, "multibase", "extra.csv"), "w") as f:
        f.write('encoding, "alt"\nbase16, "f616c74"\nbase64, "mYWx0"\nbase1024, "?unsupported"\n')


def identify(out, rng):
    path = os.path.join(out, "identify", "multiaddr.feature")
    with open(path) as f:
        text = f.read()
    head, *scenarios = text.split("  Scenario:")
    scenarios = scenarios[1:]
    rng.shuffle(scenarios)
    with open(path, "w") as f:
        f.write(head + "".join("  Scenario:" + s.rstrip("\n") + "\n\n" for s in scenarios))


def corrupt(out, area):
    """Changes one expected output of `area` by one byte."""
    def flip(hex_text):
        return hex_text[:-1] + ("0" if hex_text[-1] != "0" else "1")
    if area == "discv5":
        path = os.path.join(out, "discv5", "discv5_wire_test_vectors.json")
        wire = load(path)
        wire["packets"][0]["encoded_packet"] = flip(wire["packets"][0]["encoded_packet"])
        save(path, wire)
    elif area == "noise":
        path = os.path.join(out, "noise", "cacophony.txt")
        document = load(path)
        message = document["vectors"][0]["messages"][-1]
        message["ciphertext"] = flip(message["ciphertext"])
        save(path, document)
    elif area == "enr":
        path = os.path.join(out, "enr", "enr_records.json")
        document = load(path)
        record = next(r for r in document["records"] if r["valid"])
        record["node_id"] = flip(record["node_id"])
        save(path, document)
    else:
        raise SystemExit(f"no corruption defined for {area}")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", default=os.path.normpath(os.path.join(here, "../../shared/vectors")))
    parser.add_argument("--out", default="/tmp/altvectors")
    parser.add_argument("--snow", help="a snow-generated vector file to add to noise/")
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--corrupt", help="area whose expected output gets one wrong byte")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    shutil.copytree(args.source, args.out)
    noise(args.out, rng, args.snow)
    ssz(args.out, rng)
    snappy(args.out, rng)
    discv5(args.out, rng)
    enr(args.out, rng)
    peer_ids(args.out, rng)
    identify(args.out, rng)
    if args.corrupt:
        corrupt(args.out, args.corrupt)
    print(f"alternative vectors written to {args.out}")


if __name__ == "__main__":
    main()

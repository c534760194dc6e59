import Testing
@testable import LibP2PCore
@testable import Multiformats
import TestSupport

@Suite struct PeerIDTests {
    @Test func specExampleTextForms() throws {
        let ed = try PeerID("12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA")
        #expect(ed.hasInlinePublicKey)
        #expect(try ed.inlinePublicKey()?.type == .ed25519)
        #expect(ed.description == "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA")
        // Any multibase CIDv1 with the libp2p-key codec parses.
        #expect(try PeerID(ed.cidString(base: .base58BTC)) == ed)
        #expect(try PeerID(ed.cidString(base: .base36)) == ed)
        #expect(try PeerID(ed.cidString(base: .base64URL)) == ed)
        #expect(MemoryLayout<PeerID>.size <= 49)
    }

    @Test func rejectsBadPeerIDs() throws {
        // A bad base58 character.
        #expect(throws: PeerIDError.invalidText(.invalidCharacter(offset: 5))) {
            try PeerID("QmYyQ0o1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N")
        }
        // A sha1 multihash is not a peer id.
        let sha1 = try Multihash(hashing: [1], with: .sha1)
        #expect(throws: PeerIDError.unsupportedMultihash(code: 0x11, length: 20)) {
            try PeerID(multihashBytes: sha1.bytes)
        }
        // Identity over 42 bytes.
        let big = try Multihash(code: .identity, digest: [UInt8](repeating: 1, count: 43))
        #expect(throws: PeerIDError.unsupportedMultihash(code: 0, length: 43)) { try PeerID(multihash: big) }
        // Truncated sha2-256.
        let short = try Multihash(hashing: [1], with: .sha2_256, truncatedTo: 16)
        #expect(throws: PeerIDError.unsupportedMultihash(code: 0x12, length: 16)) { try PeerID(multihash: short) }
        // Trailing bytes.
        let peer = try PeerID("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N")
        #expect(throws: PeerIDError.invalidMultihash(.trailingBytes)) {
            try PeerID(multihashBytes: peer.multihashBytes + [0])
        }
        // A CID with another codec (dag-pb).
        let dagPB = CID(codec: CID.dagPBCodec, multihash: peer.multihash).string()
        #expect(throws: PeerIDError.notLibp2pKey(codec: 0x70)) { try PeerID(dagPB) }
        #expect(throws: PeerIDError.textTooLong(600)) { try PeerID(String(repeating: "Q", count: 600)) }
        #expect(throws: PeerIDError.invalidText(.unknownPrefix("x"))) { try PeerID("xyz") }
    }

    @Test func hashableAndCompact() throws {
        var random = SeededRandom(state: 5)
        let peers = (0..<50).map { _ in PrivateKey.generateEd25519(using: &random).peerID }
        #expect(Set(peers).count == 50)
        for peer in peers { #expect(try PeerID(peer.base58) == peer) }
        let sorted = peers.sorted()
        for (a, b) in zip(sorted, sorted.dropFirst()) {
            #expect(a.multihashBytes.lexicographicallyPrecedes(b.multihashBytes))
        }
    }

    @Test func orderIsTheLexicographicOrderOfTheMultihashBytes() throws {
        // Identity multihashes of every length, sharing prefixes and ending in zero bytes, so
        // the inline word comparison meets every case of prefix, padding and tie-break.
        var random = SeededRandom(state: 9)
        var digests: [[UInt8]] = [[], [0], [0, 0], [1], [1, 0], [255], [255, 255]]
        for _ in 0..<40 {
            let length = Int(random.next() % 43)
            digests.append((0..<length).map { _ in UInt8(truncatingIfNeeded: random.next() % 3 == 0 ? 0 : random.next()) })
        }
        for d in digests.prefix(20) where d.count < 42 { digests.append(d + [0]); digests.append(d + [7]) }
        let peers = try digests.map { try PeerID(multihashBytes: [0x00, UInt8($0.count)] + $0) }
        for a in peers {
            for b in peers {
                #expect((a < b) == a.multihashBytes.lexicographicallyPrecedes(b.multihashBytes), "\(a.multihashBytes) \(b.multihashBytes)")
            }
        }
        let sha = try PeerID(multihashBytes: [0x12, 32] + [UInt8](repeating: 9, count: 32))
        #expect(peers[0] < sha)
    }

    @Test func cidVersion0AndVersion1() throws {
        let v0 = try CID("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N")
        #expect(v0.version == 0 && v0.codec == CID.dagPBCodec)
        #expect(v0.string() == "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N")
        let v1 = try CID("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe")
        #expect(v1.version == 1 && v1.codec == CID.libp2pKeyCodec)
        #expect(v1.multihash == v0.multihash)
        #expect(try CID(bytes: v1.bytes) == v1)
        #expect(throws: CIDError.unsupportedVersion(2)) { try CID(bytes: [0x02, 0x72, 0x00, 0x00]) }
    }
}

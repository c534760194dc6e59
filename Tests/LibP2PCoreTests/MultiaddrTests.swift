import Testing
@testable import LibP2PCore
@testable import Multiformats

@Suite struct MultiaddrTests {
    static let peer = "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA"

    @Test(arguments: [
        "/ip4/127.0.0.1/udp/1234",
        "/ip4/1.2.3.4/tcp/4001/p2p/QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N",
        "/ip6/::1/tcp/80",
        "/ip6/2001:db8::1/udp/443/quic-v1/p2p/\(peer)",
        "/ip6/fe80::1/ip6zone/eth0",
        "/ip6zone/x/ip6/fe80::1",
        "/ip6/::ffff:1.2.3.4/tcp/1",
        "/ip6/2001:db8:0:1:1:1:1:1/tcp/1",
        "/ip4/10.0.0.0/ipcidr/8",
        "/dns4/example.com/tcp/443/tls/sni/example.com/http/http-path/a%2Fb%20c",
        "/dns6/example.com/tcp/443/wss",
        "/dns/example.com/tcp/443/tls/ws",
        "/dnsaddr/bootstrap.libp2p.io",
        "/ip4/1.2.3.4/udp/1/quic/webtransport",
        "/ip4/1.2.3.4/udp/1/webrtc-direct/certhash/uEiAkH5a4DPGKUuOBjYw0CgwjvcJCJMD2K_1aluKR_tpevQ",
        "/p2p/\(peer)/p2p-circuit/p2p/QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N",
        "/ip4/1.2.3.4/tcp/1/noise/yamux-is-not-here",
        "/unix/tmp%2Fp2p.sock",
        "/onion/timaq4ygg2iegci7:1234",
        "/onion3/vww6ybal4bd7szmgncyruucpgfkqahzddi37ktceo3ah7ngmcopnpyyd:1234/tcp/1",
        "/ip4/1.2.3.4/sctp/5/dccp/6/udt/utp/http/https/webrtc/p2p-webrtc-star/p2p-webrtc-direct/p2p-stardust/p2p-websocket-star",
        "",
    ])
    func textRoundTrip(_ text: String) throws {
        if text.contains("yamux-is-not-here") {
            #expect(throws: MultiaddrError.unknownProtocolName("yamux-is-not-here")) { try Multiaddr(text) }
            return
        }
        let address = try Multiaddr(text)
        #expect(address.description == text)
        #expect(try Multiaddr(bytes: address.bytes) == address)
        #expect(Multiaddr(address.components) == address)
    }

    @Test func garlicRoundTrips() throws {
        let destination = Multiaddr([.garlic64((0..<400).map { UInt8(truncatingIfNeeded: $0 * 7) }), .tcp(1)])
        #expect(destination.description.hasPrefix("/garlic64/"))
        #expect(destination.description.contains("="))
        #expect(try Multiaddr(destination.description) == destination)
        let b32 = Multiaddr([.garlic32([UInt8](repeating: 0xab, count: 32))])
        #expect(try Multiaddr(b32.description) == b32)
        #expect(try Multiaddr(bytes: b32.bytes) == b32)
    }

    @Test func specExampleBinary() throws {
        let address = try Multiaddr("/ip4/127.0.0.1/udp/1234")
        #expect(address.bytes == [0x04, 0x7f, 0x00, 0x00, 0x01, 0x91, 0x02, 0x04, 0xd2])
        #expect(address.components == [.ip4(IPv4Address(127, 0, 0, 1)), .udp(1234)])
    }

    @Test func legacyIPFSIsPrintedAsP2P() throws {
        let address = try Multiaddr("/ip4/1.2.3.4/tcp/1/ipfs/QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N")
        #expect(address.description == "/ip4/1.2.3.4/tcp/1/p2p/QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N")
        #expect(address.peerID == (try PeerID("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N")))
        #expect(address.withoutPeerID.description == "/ip4/1.2.3.4/tcp/1")
        // A CID peer id is accepted in text and printed base58.
        let cid = try Multiaddr("/p2p/bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe")
        #expect(cid.description == "/p2p/QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N")
    }

    @Test func encapsulateAndDecapsulate() throws {
        let base = try Multiaddr("/ip4/1.2.3.4/tcp/1")
        let full = base.encapsulate(try Multiaddr("/ws/p2p/\(Self.peer)"))
        #expect(full.description == "/ip4/1.2.3.4/tcp/1/ws/p2p/\(Self.peer)")
        #expect(full.decapsulate(try Multiaddr("/ws")) == base)
        #expect(full.decapsulate(.p2p).description == "/ip4/1.2.3.4/tcp/1/ws")
        #expect(full.decapsulate(.udp) == full)
        #expect(full.decapsulate(try Multiaddr("/tcp/2")) == full)
        #expect(base.encapsulate(.tcp(5)).description == "/ip4/1.2.3.4/tcp/1/tcp/5")
        #expect(base.encapsulate(.tcp(5)).decapsulate(.tcp) == base)
        #expect(base.peerID == nil)
    }

    @Test func normalisesIPv6Text() throws {
        #expect(try Multiaddr("/ip6/2001:DB8:0:0:0:0:0:1").description == "/ip6/2001:db8::1")
        #expect(try Multiaddr("/ip6/0:0:0:0:0:0:0:0").description == "/ip6/::")
        #expect(try Multiaddr("/ip6/1:0:0:2:0:0:0:3").description == "/ip6/1:0:0:2::3")
        #expect(try Multiaddr("/ip4/1.2.3.4/").description == "/ip4/1.2.3.4")
    }

    @Test func rejectsBadBinary() throws {
        // Unknown protocol code (0x99 is unassigned here).
        #expect(throws: MultiaddrError.unknownProtocolCode(0x99)) { try Multiaddr(bytes: [0x99, 0x01]) }
        // memory (777) is in the table but not supported here: rejected as unknown.
        #expect(throws: MultiaddrError.unknownProtocolCode(777)) { try Multiaddr(bytes: UVarint.encode(777) + [0]) }
        // Garlic addresses below the minimum sizes.
        #expect(throws: MultiaddrError.invalidValue(protocol: "garlic64")) {
            try Multiaddr(bytes: UVarint.encode(446) + UVarint.encode(385) + [UInt8](repeating: 7, count: 385))
        }
        #expect(throws: MultiaddrError.invalidValue(protocol: "garlic32")) {
            try Multiaddr(bytes: UVarint.encode(447) + [33] + [UInt8](repeating: 7, count: 33))
        }
        // An onion port of 0.
        #expect(throws: MultiaddrError.invalidValue(protocol: "onion")) {
            try Multiaddr(bytes: UVarint.encode(444) + [UInt8](repeating: 1, count: 10) + [0, 0])
        }
        // Truncated fixed-size value.
        #expect(throws: MultiaddrError.truncated) { try Multiaddr(bytes: [0x04, 0x7f, 0x00]) }
        // Truncated and overlong varints.
        #expect(throws: MultiaddrError.malformedVarint(.truncated)) { try Multiaddr(bytes: [0x91]) }
        #expect(throws: MultiaddrError.malformedVarint(.notMinimal)) { try Multiaddr(bytes: [0x84, 0x00, 1, 2, 3, 4]) }
        #expect(throws: MultiaddrError.malformedVarint(.tooLong)) {
            try Multiaddr(bytes: [UInt8](repeating: 0xff, count: 10))
        }
        // A length prefix beyond the input.
        #expect(throws: MultiaddrError.truncated) { try Multiaddr(bytes: [0x35, 0x7f] + Array("a.b".utf8)) }
        // A p2p value that is not a peer id; an empty DNS name; a DNS name with a slash.
        #expect(throws: MultiaddrError.invalidValue(protocol: "p2p")) { try Multiaddr(bytes: UVarint.encode(421) + [2, 0x11, 0]) }
        #expect(throws: MultiaddrError.invalidValue(protocol: "dns4")) { try Multiaddr(bytes: [0x36, 0x00]) }
        #expect(throws: MultiaddrError.invalidValue(protocol: "dns4")) { try Multiaddr(bytes: [0x36, 0x03] + Array("a/b".utf8)) }
        #expect(throws: MultiaddrError.invalidValue(protocol: "dns4")) { try Multiaddr(bytes: [0x36, 0x01, 0xff]) }
        // Too long overall.
        let long = [UInt8]((0..<400).flatMap { _ in [0x06, 0x00, 0x01] as [UInt8] })
        #expect(throws: MultiaddrError.tooLong(1200)) { try Multiaddr(bytes: long) }
    }

    @Test func rejectsBadText() {
        #expect(throws: MultiaddrError.missingLeadingSlash) { try Multiaddr("ip4/1.2.3.4") }
        #expect(throws: MultiaddrError.unknownProtocolName("foo")) { try Multiaddr("/foo/1") }
        #expect(throws: MultiaddrError.missingValue(protocol: "tcp")) { try Multiaddr("/ip4/1.2.3.4/tcp") }
        for bad in ["/ip4/1.2.3", "/ip4/1.2.3.256", "/ip4/01.2.3.4", "/ip4/1.2.3.4.5", "/ip4/a.b.c.d"] {
            #expect(throws: MultiaddrError.invalidValue(protocol: "ip4")) { try Multiaddr(bad) }
        }
        for bad in ["/ip6/1::2::3", "/ip6/12345::", "/ip6/1:2:3:4:5:6:7:8:9", "/ip6/:1", "/ip6/1:", "/ip6/g::"] {
            #expect(throws: MultiaddrError.invalidValue(protocol: "ip6")) { try Multiaddr(bad) }
        }
        #expect(throws: MultiaddrError.missingValue(protocol: "tcp")) { try Multiaddr("/tcp/") }
        for bad in ["/tcp/65536", "/tcp/-1", "/tcp/+1", "/tcp/0443", "/tcp//"] {
            #expect(throws: MultiaddrError.invalidValue(protocol: "tcp")) { try Multiaddr(bad) }
        }
        #expect(throws: MultiaddrError.invalidValue(protocol: "p2p")) { try Multiaddr("/p2p/QmNotAPeer") }
        for bad in ["/onion/timaq4ygg2iegci7", "/onion/timaq4ygg2iegci7:0", "/onion/timaq4ygg2iegci:80",
                    "/onion/timaq4ygg2iegci1:80", "/onion/timaq4ygg2iegci7:80:80"] {
            #expect(throws: MultiaddrError.invalidValue(protocol: "onion")) { try Multiaddr(bad) }
        }
        #expect(throws: MultiaddrError.invalidValue(protocol: "http-path")) { try Multiaddr("/http-path/%zz") }
        #expect(throws: MultiaddrError.tooLong(Multiaddr.maxTextLength + 1)) {
            try Multiaddr("/" + String(repeating: "a", count: Multiaddr.maxTextLength))
        }
    }
}

@Suite struct MultiaddrLimitTests {
    /// Found by FuzzMultiaddr: a binary multiaddr near the size limit made of short binary
    /// components with long names; its text must still be within the text limit.
    @Test func longestTextOfAValidBinaryParsesBack() throws {
        // 2-byte code, no value, 19 text bytes each: the worst text expansion.
        let component = MultiaddrComponent.p2pWebSocketStar
        let count = Multiaddr.maxEncodedLength / component.bytes.count
        let address = Multiaddr(Array(repeating: component, count: count))
        #expect(address.bytes.count <= Multiaddr.maxEncodedLength)
        #expect(try Multiaddr(bytes: address.bytes) == address)
        #expect(address.description.utf8.count > 4096)
        #expect(try Multiaddr(address.description) == address)
        // Mixed short components, as in the fuzzer's input.
        let mixed = Multiaddr(Array(repeating: [MultiaddrComponent.ipcidr(43), .https, .dccp(65283)], count: 100)
            .flatMap { $0 })
        #expect(try Multiaddr(mixed.description) == mixed)
    }
}

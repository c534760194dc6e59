/// One multiaddr component: a protocol and its value, typed.
public enum MultiaddrComponent: Sendable, Hashable, CustomStringConvertible {
    /// `/ip4/<address>`.
    case ip4(IPv4Address)
    /// `/ip6/<address>`.
    case ip6(IPv6Address)
    /// An IPv6 zone (non-empty, no `/`).
    case ip6zone(String)
    /// A CIDR prefix length.
    case ipcidr(UInt8)
    /// `/tcp/<port>`.
    case tcp(UInt16)
    /// `/udp/<port>`.
    case udp(UInt16)
    /// `/dccp/<port>`.
    case dccp(UInt16)
    /// `/sctp/<port>`.
    case sctp(UInt16)
    /// A DNS name (non-empty, no `/`), resolvable to IPv4 and IPv6.
    case dns(String)
    /// A DNS name (non-empty, no `/`), resolvable to IPv4 only.
    case dns4(String)
    /// A DNS name (non-empty, no `/`), resolvable to IPv6 only.
    case dns6(String)
    /// A DNS name (non-empty, no `/`) whose `_dnsaddr` TXT records list multiaddrs.
    case dnsaddr(String)
    /// A TLS server name (non-empty, no `/`).
    case sni(String)
    /// A unix socket path (non-empty; percent-encoded in text).
    case unix(String)
    /// An HTTP path (percent-encoded in text).
    case httpPath(String)
    /// `/p2p/<peer id>`: the peer reachable at the preceding address.
    case p2p(PeerID)
    /// A Tor v2 onion service: 10-byte host (16 base32 characters in text) and port (1...65535).
    case onion(host: [UInt8], port: UInt16)
    /// A Tor v3 onion service: 35-byte host (56 base32 characters in text) and port (1...65535).
    case onion3(host: [UInt8], port: UInt16)
    /// An I2P destination (at least 386 bytes; I2P base64 with padding in text).
    case garlic64([UInt8])
    /// An I2P b32 address (32 bytes, or at least 35; base32 lowercase without padding in text).
    case garlic32([UInt8])
    /// A multihash of a certificate (multibase text, printed base64url).
    case certhash([UInt8])
    /// Transport and security layers without a value (`/udt`, `/utp`, `/tls`, `/noise`, `/quic`,
    /// `/quic-v1`, `/webtransport`, `/http`, `/https`, `/ws`, `/wss`).
    case udt, utp, tls, noise, quic, quicV1, webTransport, http, https, ws, wss
    /// WebRTC, relay and deprecated signalling-star protocols, without a value.
    case p2pWebSocketStar, p2pStardust, p2pWebRTCStar, p2pWebRTCDirect, webRTCDirect, webRTC, p2pCircuit

    /// The protocol of this component.
    public var `protocol`: MultiaddrProtocol {
        switch self {
        case .ip4: .ip4
        case .ip6: .ip6
        case .ip6zone: .ip6zone
        case .ipcidr: .ipcidr
        case .tcp: .tcp
        case .udp: .udp
        case .dccp: .dccp
        case .sctp: .sctp
        case .dns: .dns
        case .dns4: .dns4
        case .dns6: .dns6
        case .dnsaddr: .dnsaddr
        case .sni: .sni
        case .unix: .unix
        case .httpPath: .httpPath
        case .p2p: .p2p
        case .onion: .onion
        case .onion3: .onion3
        case .garlic64: .garlic64
        case .garlic32: .garlic32
        case .certhash: .certhash
        case .udt: .udt
        case .utp: .utp
        case .tls: .tls
        case .noise: .noise
        case .quic: .quic
        case .quicV1: .quicV1
        case .webTransport: .webTransport
        case .http: .http
        case .https: .https
        case .ws: .ws
        case .wss: .wss
        case .p2pWebSocketStar: .p2pWebSocketStar
        case .p2pStardust: .p2pStardust
        case .p2pWebRTCStar: .p2pWebRTCStar
        case .p2pWebRTCDirect: .p2pWebRTCDirect
        case .webRTCDirect: .webRTCDirect
        case .webRTC: .webRTC
        case .p2pCircuit: .p2pCircuit
        }
    }

    /// The binary value, without the code or a length prefix (empty for value-less protocols).
    public var rawValue: [UInt8] {
        switch self {
        case .ip4(let address): address.bytes
        case .ip6(let address): address.bytes
        case .ipcidr(let bits): [bits]
        case .tcp(let port), .udp(let port), .dccp(let port), .sctp(let port):
            [UInt8(port >> 8), UInt8(truncatingIfNeeded: port)]
        case .ip6zone(let text), .dns(let text), .dns4(let text), .dns6(let text), .dnsaddr(let text),
             .sni(let text), .unix(let text), .httpPath(let text):
            Array(text.utf8)
        case .p2p(let peer): peer.multihashBytes
        case .onion(let host, let port), .onion3(let host, let port):
            host + [UInt8(port >> 8), UInt8(truncatingIfNeeded: port)]
        case .certhash(let bytes), .garlic64(let bytes), .garlic32(let bytes): bytes
        case .udt, .utp, .tls, .noise, .quic, .quicV1, .webTransport, .http, .https, .ws, .wss, .p2pWebSocketStar,
             .p2pStardust, .p2pWebRTCStar, .p2pWebRTCDirect, .webRTCDirect, .webRTC, .p2pCircuit:
            []
        }
    }

    /// The text value (`nil` for value-less protocols).
    public var valueString: String? {
        switch self {
        case .ip4(let address): address.description
        case .ip6(let address): address.description
        case .ipcidr(let bits): String(bits)
        case .tcp(let port), .udp(let port), .dccp(let port), .sctp(let port): String(port)
        case .ip6zone(let text), .dns(let text), .dns4(let text), .dns6(let text), .dnsaddr(let text), .sni(let text):
            text
        case .unix(let text), .httpPath(let text): PercentEncoding.encode(text)
        case .p2p(let peer): peer.base58
        case .onion(let host, let port), .onion3(let host, let port):
            Multibase.base32.encodeWithoutPrefix(host) + ":" + String(port)
        case .certhash(let bytes): Multibase.base64URL.encode(bytes)
        case .garlic64(let bytes): Garlic.encode64(bytes)
        case .garlic32(let bytes): Multibase.base32.encodeWithoutPrefix(bytes)
        case .udt, .utp, .tls, .noise, .quic, .quicV1, .webTransport, .http, .https, .ws, .wss, .p2pWebSocketStar,
             .p2pStardust, .p2pWebRTCStar, .p2pWebRTCDirect, .webRTCDirect, .webRTC, .p2pCircuit:
            nil
        }
    }

    /// The binary form: code, length prefix when the protocol's values vary in size, value.
    public var bytes: [UInt8] {
        var out = [UInt8]()
        encode(into: &out)
        return out
    }

    /// Appends the binary form to `out`.
    public func encode(into out: inout [UInt8]) {
        let proto = self.protocol
        UVarint.encode(proto.code, into: &out)
        let value = rawValue
        if proto.valueSize == .variable { UVarint.encode(UInt64(value.count), into: &out) }
        out.append(contentsOf: value)
    }

    /// The text form, e.g. `/tcp/443` or `/quic-v1`.
    public var description: String {
        guard let value = valueString else { return "/" + self.protocol.name }
        return "/" + self.protocol.name + "/" + value
    }

    /// A component from its protocol and binary value (as in the binary form, after any
    /// length prefix).
    public init(protocol proto: MultiaddrProtocol, rawValue value: ArraySlice<UInt8>) throws(MultiaddrError) {
        let invalid = MultiaddrError.invalidValue(protocol: proto.name)
        switch proto.valueSize {
        case .none: guard value.isEmpty else { throw invalid }
        case .fixed(let size): guard value.count == size else { throw invalid }
        case .variable: guard !value.isEmpty else { throw invalid }
        }
        func port() -> UInt16 { UInt16(value[value.startIndex]) << 8 | UInt16(value[value.startIndex + 1]) }
        func name() throws(MultiaddrError) -> String {
            guard let text = String(validating: value, as: UTF8.self), !text.utf8.contains(UInt8(ascii: "/")) else {
                throw invalid
            }
            return text
        }
        func utf8() throws(MultiaddrError) -> String {
            guard let text = String(validating: value, as: UTF8.self) else { throw invalid }
            return text
        }
        switch proto {
        case .ip4: guard let address = IPv4Address(bytes: value) else { throw invalid }; self = .ip4(address)
        case .ip6: guard let address = IPv6Address(bytes: value) else { throw invalid }; self = .ip6(address)
        case .ipcidr: self = .ipcidr(value[value.startIndex])
        case .tcp: self = .tcp(port())
        case .udp: self = .udp(port())
        case .dccp: self = .dccp(port())
        case .sctp: self = .sctp(port())
        case .ip6zone: self = .ip6zone(try name())
        case .dns: self = .dns(try name())
        case .dns4: self = .dns4(try name())
        case .dns6: self = .dns6(try name())
        case .dnsaddr: self = .dnsaddr(try name())
        case .sni: self = .sni(try name())
        case .unix: self = .unix(try utf8())
        case .httpPath: self = .httpPath(try utf8())
        case .p2p:
            guard let peer = try? PeerID(multihashBytes: value) else { throw invalid }
            self = .p2p(peer)
        case .onion, .onion3:
            let host = Array(value.dropLast(2))
            let port = UInt16(value[value.endIndex - 2]) << 8 | UInt16(value[value.endIndex - 1])
            guard port != 0 else { throw invalid }
            self = proto == .onion ? .onion(host: host, port: port) : .onion3(host: host, port: port)
        case .certhash: self = .certhash(Array(value))
        case .garlic64:
            guard value.count >= Garlic.minimum64Length else { throw invalid }
            self = .garlic64(Array(value))
        case .garlic32:
            guard value.count == 32 || value.count >= 35 else { throw invalid }
            self = .garlic32(Array(value))
        case .udt: self = .udt
        case .utp: self = .utp
        case .tls: self = .tls
        case .noise: self = .noise
        case .quic: self = .quic
        case .quicV1: self = .quicV1
        case .webTransport: self = .webTransport
        case .http: self = .http
        case .https: self = .https
        case .ws: self = .ws
        case .wss: self = .wss
        case .p2pWebSocketStar: self = .p2pWebSocketStar
        case .p2pStardust: self = .p2pStardust
        case .p2pWebRTCStar: self = .p2pWebRTCStar
        case .p2pWebRTCDirect: self = .p2pWebRTCDirect
        case .webRTCDirect: self = .webRTCDirect
        case .webRTC: self = .webRTC
        case .p2pCircuit: self = .p2pCircuit
        }
    }

    /// A component from its protocol and text value (`nil` for value-less protocols).
    public init(protocol proto: MultiaddrProtocol, valueString text: Substring?) throws(MultiaddrError) {
        let invalid = MultiaddrError.invalidValue(protocol: proto.name)
        guard let text else {
            guard proto.valueSize == .none else { throw .missingValue(protocol: proto.name) }
            try self.init(protocol: proto, rawValue: [][...])
            return
        }
        let raw: [UInt8]
        switch proto {
        case .ip4:
            guard let address = IPv4Address(text) else { throw invalid }
            raw = address.bytes
        case .ip6:
            guard let address = IPv6Address(text) else { throw invalid }
            raw = address.bytes
        case .ipcidr:
            guard let bits = IPv4Address.decimal(text.utf8, max: 255) else { throw invalid }
            raw = [UInt8(bits)]
        case .tcp, .udp, .dccp, .sctp:
            guard let port = IPv4Address.decimal(text.utf8, max: 65535) else { throw invalid }
            raw = [UInt8(port >> 8), UInt8(truncatingIfNeeded: port)]
        case .ip6zone, .dns, .dns4, .dns6, .dnsaddr, .sni:
            raw = Array(text.utf8)
        case .unix, .httpPath:
            guard let decoded = PercentEncoding.decode(text) else { throw invalid }
            raw = decoded
        case .p2p:
            guard let peer = try? PeerID(text) else { throw invalid }
            raw = peer.multihashBytes
        case .onion, .onion3:
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            let hostLength = proto == .onion ? 16 : 56
            guard parts.count == 2, parts[0].utf8.count == hostLength,
                  let host = try? Multibase.base32.decodeWithoutPrefix(parts[0]),
                  let port = IPv4Address.decimal(parts[1].utf8, max: 65535), port != 0
            else { throw invalid }
            raw = host + [UInt8(port >> 8), UInt8(truncatingIfNeeded: port)]
        case .garlic64:
            guard let decoded = Garlic.decode64(text) else { throw invalid }
            raw = decoded
        case .garlic32:
            guard let decoded = try? Multibase.base32.decodeWithoutPrefix(text) else { throw invalid }
            raw = decoded
        case .certhash:
            guard let decoded = try? Multibase.decode(text, maxLength: Multiaddr.maxEncodedLength * 2).bytes else {
                throw invalid
            }
            raw = decoded
        default:
            throw invalid  // a value-less protocol given a value is handled by the caller
        }
        try self.init(protocol: proto, rawValue: raw[...])
    }
}

/// Percent-encoding of path values: every byte outside `A-Z a-z 0-9 - . _ ~` becomes `%XX`.
enum PercentEncoding {
    static func encode(_ text: String) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var out = [UInt8]()
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "~"):
                out.append(byte)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(digits[Int(byte >> 4)])
                out.append(digits[Int(byte & 0x0f)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of percent-encoded text, or `nil` for a malformed escape.
    static func decode(_ text: Substring) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        var out = [UInt8]()
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "%") {
                guard index + 2 < utf8.count, let high = hex(utf8[index + 1]), let low = hex(utf8[index + 2]) else {
                    return nil
                }
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(utf8[index])
                index += 1
            }
        }
        return out
    }

    private static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// I2P base64 (`-~` alphabet, padded) for `/garlic64`.
enum Garlic {
    /// The shortest I2P destination accepted in binary.
    static let minimum64Length = 386

    static func encode64(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        BitPackingCodec.encode(bytes, bits: 6, alphabet: .i2pBase64, padded: true, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func decode64(_ text: Substring) -> [UInt8]? {
        try? BitPackingCodec.decode(text.utf8, bits: 6, alphabet: .i2pBase64, padded: true)
    }
}

/// The multiaddr protocols this library encodes and decodes (codes and names from the
/// multiaddr `protocols.csv`).
///
/// Not supported (rejected as unknown): `memory` (the table gives it a variable size where
/// go-multiaddr and rust-multiaddr use 8 bytes).
public enum MultiaddrProtocol: UInt64, Sendable, Hashable, CaseIterable {
    /// `/ip4`: a 4-byte IPv4 address.
    case ip4 = 4
    /// `/tcp`: a 2-byte big-endian port.
    case tcp = 6
    /// `/dccp`: a 2-byte big-endian port.
    case dccp = 33
    /// `/ip6`: a 16-byte IPv6 address.
    case ip6 = 41
    /// `/ip6zone`: an IPv6 zone id, length-prefixed.
    case ip6zone = 42
    /// `/ipcidr`: a 1-byte CIDR prefix length.
    case ipcidr = 43
    /// `/dns`: a DNS name resolving to IPv4 or IPv6 addresses, length-prefixed.
    case dns = 53
    /// `/dns4`: a DNS name resolving to IPv4 addresses only, length-prefixed.
    case dns4 = 54
    /// `/dns6`: a DNS name resolving to IPv6 addresses only, length-prefixed.
    case dns6 = 55
    /// `/dnsaddr`: a DNS name whose `_dnsaddr` TXT records hold multiaddrs, length-prefixed.
    case dnsaddr = 56
    /// `/sctp`: a 2-byte big-endian port.
    case sctp = 132
    /// `/udp`: a 2-byte big-endian port.
    case udp = 273
    /// `/p2p-webrtc-star` (deprecated js-libp2p transport): no value.
    case p2pWebRTCStar = 275
    /// `/p2p-webrtc-direct` (deprecated): no value.
    case p2pWebRTCDirect = 276
    /// `/p2p-stardust` (deprecated): no value.
    case p2pStardust = 277
    /// `/webrtc-direct`: browser-to-server WebRTC; no value.
    case webRTCDirect = 280
    /// `/webrtc`: browser-to-browser WebRTC, signalled over a relay; no value.
    case webRTC = 281
    /// `/p2p-circuit`: a circuit relay hop; no value.
    case p2pCircuit = 290
    /// `/udt`: no value.
    case udt = 301
    /// `/utp`: no value.
    case utp = 302
    /// `/unix`: a unix socket path, length-prefixed.
    case unix = 400
    /// `/p2p` (legacy text `/ipfs`): a peer id multihash, length-prefixed.
    case p2p = 421
    /// `/https`: no value.
    case https = 443
    /// `/onion`: a 10-byte Tor v2 host and a 2-byte port (12 bytes).
    case onion = 444
    /// `/onion3`: a 35-byte Tor v3 host and a 2-byte port (37 bytes).
    case onion3 = 445
    /// `/garlic64`: an I2P destination, length-prefixed.
    case garlic64 = 446
    /// `/garlic32`: an I2P b32 address, length-prefixed.
    case garlic32 = 447
    /// `/tls`: no value.
    case tls = 448
    /// `/sni`: a TLS server name, length-prefixed.
    case sni = 449
    /// `/noise`: no value.
    case noise = 454
    /// `/quic` (draft-29 QUIC): no value.
    case quic = 460
    /// `/quic-v1` (RFC 9000 QUIC): no value.
    case quicV1 = 461
    /// `/webtransport`: no value.
    case webTransport = 465
    /// `/certhash`: a certificate multihash, length-prefixed.
    case certhash = 466
    /// `/ws`: WebSocket; no value.
    case ws = 477
    /// `/wss`: WebSocket over TLS; no value.
    case wss = 478
    /// `/p2p-websocket-star` (deprecated): no value.
    case p2pWebSocketStar = 479
    /// `/http`: no value.
    case http = 480
    /// `/http-path`: a URL path, length-prefixed.
    case httpPath = 481

    /// How a protocol's value is carried in the binary form.
    public enum ValueSize: Sendable, Equatable {
        /// No value.
        case none
        /// A fixed number of bytes.
        case fixed(Int)
        /// A varint length prefix, then the bytes.
        case variable
    }

    /// The multicodec code.
    public var code: UInt64 { rawValue }

    /// The text name.
    public var name: String {
        switch self {
        case .ip4: "ip4"
        case .tcp: "tcp"
        case .dccp: "dccp"
        case .ip6: "ip6"
        case .ip6zone: "ip6zone"
        case .ipcidr: "ipcidr"
        case .dns: "dns"
        case .dns4: "dns4"
        case .dns6: "dns6"
        case .dnsaddr: "dnsaddr"
        case .sctp: "sctp"
        case .udp: "udp"
        case .p2pWebRTCStar: "p2p-webrtc-star"
        case .p2pWebRTCDirect: "p2p-webrtc-direct"
        case .p2pStardust: "p2p-stardust"
        case .webRTCDirect: "webrtc-direct"
        case .webRTC: "webrtc"
        case .p2pCircuit: "p2p-circuit"
        case .udt: "udt"
        case .utp: "utp"
        case .unix: "unix"
        case .p2p: "p2p"
        case .https: "https"
        case .onion: "onion"
        case .onion3: "onion3"
        case .garlic64: "garlic64"
        case .garlic32: "garlic32"
        case .tls: "tls"
        case .sni: "sni"
        case .noise: "noise"
        case .quic: "quic"
        case .quicV1: "quic-v1"
        case .webTransport: "webtransport"
        case .certhash: "certhash"
        case .ws: "ws"
        case .wss: "wss"
        case .p2pWebSocketStar: "p2p-websocket-star"
        case .http: "http"
        case .httpPath: "http-path"
        }
    }

    /// The binary size of the value.
    public var valueSize: ValueSize {
        switch self {
        case .ip4: .fixed(4)
        case .ip6: .fixed(16)
        case .tcp, .udp, .dccp, .sctp: .fixed(2)
        case .ipcidr: .fixed(1)
        case .onion: .fixed(12)
        case .onion3: .fixed(37)
        case .ip6zone, .dns, .dns4, .dns6, .dnsaddr, .unix, .p2p, .sni, .certhash, .httpPath, .garlic64, .garlic32:
            .variable
        case .p2pWebRTCStar, .p2pWebRTCDirect, .p2pStardust, .webRTCDirect, .webRTC, .p2pCircuit, .udt, .utp,
             .https, .tls, .noise, .quic, .quicV1, .webTransport, .ws, .wss, .p2pWebSocketStar, .http:
            .none
        }
    }

    private static let byName: [String: MultiaddrProtocol] = {
        var table = [String: MultiaddrProtocol]()
        for item in MultiaddrProtocol.allCases { table[item.name] = item }
        table["ipfs"] = .p2p  // legacy name, printed as p2p
        return table
    }()

    /// The protocol named `name` in text (`ipfs` is accepted for `p2p`).
    public init?(name: some StringProtocol) {
        guard let found = Self.byName[String(name)] else { return nil }
        self = found
    }
}

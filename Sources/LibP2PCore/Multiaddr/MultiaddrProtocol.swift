/// The multiaddr protocols this library encodes and decodes (codes and names from the
/// multiaddr `protocols.csv`).
///
/// Not supported (rejected as unknown): `memory` (the table gives it a variable size where
/// go-multiaddr and rust-multiaddr use 8 bytes).
public enum MultiaddrProtocol: UInt64, Sendable, Hashable, CaseIterable {
    case ip4 = 4
    case tcp = 6
    case dccp = 33
    case ip6 = 41
    case ip6zone = 42
    case ipcidr = 43
    case dns = 53
    case dns4 = 54
    case dns6 = 55
    case dnsaddr = 56
    case sctp = 132
    case udp = 273
    case p2pWebRTCStar = 275
    case p2pWebRTCDirect = 276
    case p2pStardust = 277
    case webRTCDirect = 280
    case webRTC = 281
    case p2pCircuit = 290
    case udt = 301
    case utp = 302
    case unix = 400
    case p2p = 421
    case https = 443
    case onion = 444
    case onion3 = 445
    case garlic64 = 446
    case garlic32 = 447
    case tls = 448
    case sni = 449
    case noise = 454
    case quic = 460
    case quicV1 = 461
    case webTransport = 465
    case certhash = 466
    case ws = 477
    case wss = 478
    case p2pWebSocketStar = 479
    case http = 480
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

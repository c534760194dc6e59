/// A multiaddr: a sequence of protocol components, e.g. `/ip4/192.0.2.1/tcp/443/p2p/12D3Koo...`.
///
/// Held in its binary form, which is validated on construction and is canonical (re-encoding
/// the components gives the same bytes), so equality and hashing compare bytes.
public struct Multiaddr: Sendable, Hashable, CustomStringConvertible {
    /// The longest binary form accepted.
    public static let maxEncodedLength = 1024
    /// The longest text form accepted: enough for the text of any binary form within
    /// ``maxEncodedLength`` (a value-less two-byte code such as `/p2p-websocket-star` is the
    /// worst case, under 10 text bytes per binary byte), so every valid binary multiaddr's
    /// text parses back.
    public static let maxTextLength = 16384

    /// The binary form.
    public let bytes: [UInt8]

    /// The empty multiaddr.
    public init() { bytes = [] }

    /// A multiaddr of `components`.
    public init(_ components: some Sequence<MultiaddrComponent>) {
        var out = [UInt8]()
        for component in components { component.encode(into: &out) }
        bytes = out
    }

    /// Decodes the binary form.
    public init(bytes: some Collection<UInt8>) throws(MultiaddrError) {
        let array = Array(bytes)
        _ = try Multiaddr.decodeComponents(array)
        self.bytes = array
    }

    /// Parses the text form (`/name/value/...`; the legacy `/ipfs/` is read as `/p2p/`).
    public init(_ text: some StringProtocol) throws(MultiaddrError) {
        // Split on the byte `/`, not on Characters: a value may begin with a combining mark.
        var utf8 = Array(text.utf8)[...]
        guard utf8.count <= Multiaddr.maxTextLength else { throw .tooLong(utf8.count) }
        let slash = UInt8(ascii: "/")
        if utf8.isEmpty || utf8 == [slash] {
            self.init()
            return
        }
        guard utf8.first == slash else { throw .missingLeadingSlash }
        if utf8.last == slash { utf8 = utf8.dropLast() }
        var parts = utf8.dropFirst().split(separator: slash, omittingEmptySubsequences: false)[...]
        var components = [MultiaddrComponent]()
        while let nameBytes = parts.popFirst() {
            let name = String(decoding: nameBytes, as: UTF8.self)
            guard let proto = MultiaddrProtocol(name: name) else { throw .unknownProtocolName(name) }
            var value: Substring?
            if proto.valueSize != .none {
                guard let next = parts.popFirst() else { throw .missingValue(protocol: proto.name) }
                value = Substring(String(decoding: next, as: UTF8.self))
            }
            components.append(try MultiaddrComponent(protocol: proto, valueString: value))
        }
        self.init(components)
        guard bytes.count <= Multiaddr.maxEncodedLength else { throw .tooLong(bytes.count) }
    }

    /// The components, in order.
    public var components: [MultiaddrComponent] {
        (try? Multiaddr.decodeComponents(bytes)) ?? []
    }

    /// The text form.
    public var description: String {
        components.map(\.description).joined()
    }

    /// Whether there are no components.
    public var isEmpty: Bool { bytes.isEmpty }

    /// This multiaddr followed by `other`.
    public func encapsulate(_ other: Multiaddr) -> Multiaddr {
        Multiaddr(uncheckedBytes: bytes + other.bytes)
    }

    /// This multiaddr followed by `component`.
    public func encapsulate(_ component: MultiaddrComponent) -> Multiaddr {
        var out = bytes
        component.encode(into: &out)
        return Multiaddr(uncheckedBytes: out)
    }

    /// This multiaddr without the last occurrence of `other`'s components and everything after
    /// it; unchanged when `other` does not occur (or is empty).
    public func decapsulate(_ other: Multiaddr) -> Multiaddr {
        let mine = components
        let theirs = other.components
        guard !theirs.isEmpty, theirs.count <= mine.count else { return self }
        for start in stride(from: mine.count - theirs.count, through: 0, by: -1)
        where Array(mine[start..<(start + theirs.count)]) == theirs {
            return Multiaddr(mine[..<start])
        }
        return self
    }

    /// This multiaddr without the last component of protocol `proto` and everything after it;
    /// unchanged when there is none.
    public func decapsulate(_ proto: MultiaddrProtocol) -> Multiaddr {
        let mine = components
        guard let index = mine.lastIndex(where: { $0.protocol == proto }) else { return self }
        return Multiaddr(mine[..<index])
    }

    /// The peer id of the final `/p2p` component, if the multiaddr ends with one.
    public var peerID: PeerID? {
        if case .p2p(let peer) = components.last { return peer }
        return nil
    }

    /// This multiaddr without a final `/p2p` component.
    public var withoutPeerID: Multiaddr {
        let mine = components
        guard case .p2p = mine.last else { return self }
        return Multiaddr(mine.dropLast())
    }

    init(uncheckedBytes: [UInt8]) { bytes = uncheckedBytes }

    /// Decodes and validates every component of a binary multiaddr.
    static func decodeComponents(_ bytes: [UInt8]) throws(MultiaddrError) -> [MultiaddrComponent] {
        guard bytes.count <= maxEncodedLength else { throw .tooLong(bytes.count) }
        var components = [MultiaddrComponent]()
        var index = 0
        while index < bytes.count {
            let code: (value: UInt64, length: Int)
            do throws(VarintError) {
                code = try UVarint.decode(bytes[index...])
            } catch { throw .malformedVarint(error) }
            index += code.length
            guard let proto = MultiaddrProtocol(rawValue: code.value) else { throw .unknownProtocolCode(code.value) }
            let size: Int
            switch proto.valueSize {
            case .none: size = 0
            case .fixed(let fixed): size = fixed
            case .variable:
                let length: (value: UInt64, length: Int)
                do throws(VarintError) {
                    length = try UVarint.decode(bytes[index...])
                } catch { throw .malformedVarint(error) }
                index += length.length
                guard length.value <= UInt64(bytes.count - index) else { throw .truncated }
                size = Int(length.value)
            }
            guard size <= bytes.count - index else { throw .truncated }
            components.append(try MultiaddrComponent(protocol: proto, rawValue: bytes[index..<(index + size)]))
            index += size
        }
        return components
    }
}

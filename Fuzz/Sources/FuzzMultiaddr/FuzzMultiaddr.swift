import FuzzSupport
import LibP2PCore

// Binary multiaddr decoding. Invariants on every accepted input:
// - the binary form is canonical: re-encoding the decoded components gives the input bytes;
// - the text form parses back to the same multiaddr.
@main enum FuzzMultiaddr {
    static func main() {
        Fuzzer.run { bytes in
            guard bytes.count <= Multiaddr.maxEncodedLength,
                  let address = try? Multiaddr(bytes: Array(bytes))
            else { return }
            let components = address.components
            precondition(Multiaddr(components).bytes == Array(bytes), "binary multiaddr not canonical")
            let text = address.description
            guard let reparsed = try? Multiaddr(text) else {
                preconditionFailure("text form does not parse: \(text)")
            }
            precondition(reparsed == address, "text round trip changed the multiaddr: \(text)")
            precondition(reparsed.components == components)
        }
    }
}

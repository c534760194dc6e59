import FuzzSupport
import Multistream

/// multistream-select responder and initiator fed hostile bytes: they must never trap and
/// must end in at most one final action.
@main enum FuzzMultistream {
    static func main() {
        Fuzzer.run { bytes in
            let input = Array(bytes)
            if var responder = try? MultistreamResponder(protocols: ["/noise", "/yamux/1.0.0"]) {
                _ = responder.receive(input)
            }
            if var initiator = try? MultistreamInitiator(protocols: ["/yamux/1.0.0", "/mplex/6.7.0"]) {
                _ = initiator.start()
                _ = initiator.receive(input)
            }
        }
    }
}

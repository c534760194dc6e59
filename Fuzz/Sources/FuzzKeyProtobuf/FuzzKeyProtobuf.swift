import FuzzSupport
import LibP2PCore

// Key protobuf decoding, public and private.
//
// Non-canonical inputs (fields out of order, unknown fields, redundant varints, repeated
// fields) are accepted by the lenient decoder, as go-libp2p and rust-libp2p accept them, and
// are re-encoded canonically. Invariants:
// - lenient decode succeeds => the canonical re-encoding decodes canonically to the same key;
// - canonical decode succeeds => lenient decode succeeds too and re-encoding equals the input
//   (the canonical decoder accepts exactly the deterministic encoding of a valid key);
// - the peer id of a decoded public key is stable across the re-encoding.
@main enum FuzzKeyProtobuf {
    static func main() {
        Fuzzer.run { raw in
            let bytes = Array(raw)
            if let key = try? PublicKey(protobuf: bytes) {
                let encoded = key.protobufEncoded
                guard let again = try? PublicKey(protobuf: encoded, encoding: .canonical) else {
                    preconditionFailure("canonical re-encoding of a public key does not decode")
                }
                precondition(again == key && again.peerID == key.peerID)
                if let strict = try? PublicKey(protobuf: bytes, encoding: .canonical) {
                    precondition(strict == key && encoded == bytes, "canonical public key input not reproduced")
                }
            } else {
                precondition((try? PublicKey(protobuf: bytes, encoding: .canonical)) == nil)
            }
            if let key = try? PrivateKey(protobuf: bytes) {
                let encoded = key.protobufEncoded
                guard let again = try? PrivateKey(protobuf: encoded, encoding: .canonical) else {
                    preconditionFailure("canonical re-encoding of a private key does not decode")
                }
                precondition(again.publicKey == key.publicKey)
                if (try? PrivateKey(protobuf: bytes, encoding: .canonical)) != nil {
                    precondition(encoded == bytes, "canonical private key input not reproduced")
                }
            }
        }
    }
}

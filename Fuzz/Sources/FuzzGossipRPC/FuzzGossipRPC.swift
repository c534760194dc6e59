import FuzzSupport
import GossipSub

/// GossipSub RPC protobuf: decoding never traps, and whatever decodes survives a re-encode
/// unchanged (unknown fields are dropped, so the invariant is on the decoded value).
@main enum FuzzGossipRPC {
    static func main() {
        Fuzzer.run { bytes in
            guard let rpc = try? RPC.decode(Array(bytes)) else { return }
            let reencoded = rpc.encoded()
            precondition((try? RPC.decode(reencoded)) == rpc, "RPC re-encode changed the value")
        }
    }
}

import FuzzSupport
import GossipSub
import GossipSubHost

/// The pubsub stream reader: bytes arrive in chunks of the size the first input byte gives;
/// reading never traps, never holds more than one frame (limit plus prefix) once it asks for
/// more, and every RPC it returns comes out the same when re-framed and read again.
@main enum FuzzGossipFrames {
    static func main() {
        let limits = RPCLimits(maxRPCSize: 64 * 1024)
        Fuzzer.run { bytes in
            guard let first = bytes.first else { return }
            let chunk = Int(first % 64) + 1
            let stream = Array(bytes.dropFirst())
            var reader = RPCFrameReader(limits: limits)
            var rpcs: [RPC] = []
            var consumed = 0
            var offset = 0
            reading: while offset < stream.count {
                let end = min(offset + chunk, stream.count)
                reader.append(contentsOf: stream[offset..<end])
                offset = end
                while true {
                    let next: (rpc: RPC, size: Int)?
                    do { next = try reader.next() } catch { break reading }  // an error ends the stream
                    guard let (rpc, size) = next else { break }
                    precondition(size > 0, "empty frame")
                    consumed += size
                    rpcs.append(rpc)
                }
                precondition(consumed + reader.bufferedBytes == offset, "bytes lost or invented")
                precondition(reader.bufferedBytes <= limits.maxRPCSize + 10 + chunk, "reader holds more than one frame")
            }
            var again = RPCFrameReader(limits: limits)
            again.append(contentsOf: rpcs.flatMap { $0.framed() })
            for rpc in rpcs {
                guard let (reread, _) = try? again.next() else { preconditionFailure("re-framed RPC unreadable") }
                precondition(reread == rpc, "re-framed RPC changed")
            }
        }
    }
}

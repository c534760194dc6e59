import SSZ
import Snappy
import Testing
@testable import AztecP2P

/// Mutated and random inputs: decoders never trap, and whatever they accept is canonical.
@Suite struct HostileInputTests {
    @Test func mutatedMessagesEitherFailOrRoundTrip() throws {
        var rng = SplitMix64(seed: 0xBAD)
        let tx = SyntheticTransactions.makeDeployment(size: 3000, bytecodeSize: 300, using: &rng)
        let ssz = tx.sszEncoded()
        var accepted = 0
        var rejected = 0
        for round in 0..<3000 {
            var mutated = ssz
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                let at = Int(rng.next() % UInt64(mutated.count))
                mutated[at] = UInt8(truncatingIfNeeded: rng.next())
            }
            if round % 10 == 0 { mutated.removeLast(Int(rng.next() % 64)) }
            do {
                let decoded = try TxWireCodec.decode(TxWireCodec.compress(ssz: mutated), limits: .default)
                #expect(decoded.sszEncoded() == mutated, "accepted a non-canonical encoding")
                accepted += 1
            } catch {
                rejected += 1
            }
        }
        // Most single-byte changes land in payload bytes and stay decodable; offsets break it.
        #expect(accepted > 0 && rejected > 0)
    }

    @Test func randomMessagesNeverTrap() {
        var rng = SplitMix64(seed: 0x5EED)
        for _ in 0..<3000 {
            let bytes = SyntheticTransactions.randomBytes(Int(rng.next() % 300), &rng)
            _ = try? TxWireCodec.decode(bytes, limits: .default)
            _ = try? TxWireCodec.decode(ssz: bytes, limits: .default)
        }
    }

    @Test func randomJSONRPCBodiesGetAnAnswer() async throws {
        let f = try await RPCFixture()
        var rng = SplitMix64(seed: 0x15)
        let fragments = [#"{"#, #"}"#, #"["#, #"]"#, #"""#, #":"#, #","#, "jsonrpc", "2.0", "id", "method",
                         "params", "aztec_sendTransaction", "0x00", "null", "true", "1", "-1.5e3", " ", "\\u0000"]
        for _ in 0..<500 {
            let body = (0..<Int(rng.next() % 24)).map { _ in fragments[Int(rng.next() % UInt64(fragments.count))] }.joined()
            if let response = await f.handler.handle(body: Array(body.utf8)) {
                #expect(response.first == UInt8(ascii: "{") || response.first == UInt8(ascii: "["))
            }
        }
    }
}

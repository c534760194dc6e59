import Testing
@testable import P2PCrypto
import TestSupport

/// Known answers. Keccak-256 "" and "abc" are the published Ethereum values; the multi-block
/// Keccak-256 answers come from an independent straightforward (non-unrolled) FIPS 202 sponge
/// that reproduces hashlib's SHA3 on the same inputs.
@Suite struct KeccakTests {
    let a3x200 = [UInt8](repeating: 0xa3, count: 200)

    @Test func keccak256KnownAnswers() {
        #expect(hexString(Keccak256.hash([UInt8]())) == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
        #expect(hexString(Keccak256.hash(Array("abc".utf8))) == "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")
        #expect(hexString(Keccak256.hash(a3x200)) == "3a57666b048777f2c953dc4456f45a2588e1cb6f2da760122d530ac2ce607d4a")
        #expect(hexString(Keccak256.hash([UInt8](repeating: 0xa3, count: 136))) == "b82d89d96e5575d11a9e1f4cabb2a45e60899e69a19a724cd796bdcf13511018")
        #expect(hexString(Keccak256.hash([UInt8](repeating: 0xa3, count: 135))) == "3d28d08c3dacab77392064a939f3e7f8d03f2e02e2c664ac08a05f63ac652626")
        let pattern = (0..<1000).map { UInt8($0 % 251) }
        #expect(hexString(Keccak256.hash(pattern)) == "af692982e84a5a9688359025660a7857cd28ee7c8d867cfa1677baf2e6d1f63b")
    }

    /// Keccak-256 is not SHA3-256: only the padding differs, and so does every digest
    /// (SHA3-256("") is the NIST value below; SHA3 itself comes from swift-crypto).
    @Test func keccakIsNotSHA3() {
        #expect(hexString(Keccak256.hash([UInt8]())) != "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a")
    }

    /// Splitting the input at every point around one and two blocks (rate 136) gives the one-shot digest.
    @Test func incrementalMatchesOneShotAtEverySplit() {
        var rng = SeededRandom(seed: 1)
        let input = rng.bytes(420)
        for length in [0, 1, 135, 136, 137, 271, 272, 273, 420] {
            let message = Array(input[0..<length])
            let expected = Keccak256.hash(message)
            for split in 0...length {
                var hasher = Keccak256()
                hasher.update(message[0..<split])
                hasher.update(message[split...])
                #expect(hasher.finalize() == expected, "length \(length) split \(split)")
            }
        }
    }

    @Test func randomChunkingAndByteAtATime() {
        var rng = SeededRandom(seed: 2)
        for _ in 0..<50 {
            let length = Int(rng.next() % 700)
            let message = rng.bytes(length)
            var hasher = Keccak256()
            var index = 0
            while index < length {
                let step = min(Int(rng.next() % 150), length - index)
                hasher.update(message[index..<(index + step)])
                index += step
            }
            var bytewise = Keccak256()
            for byte in message { bytewise.update([byte]) }
            let expected = Keccak256.hash(message)
            #expect(hasher.finalize() == expected)
            #expect(bytewise.finalize() == expected)
        }
    }

    @Test func nonContiguousCollectionAndBufferPointer() {
        let message = Array("abc".utf8)
        var fromBuffer = Keccak256()
        message.withUnsafeBytes { fromBuffer.update(bufferPointer: $0) }
        #expect(fromBuffer.finalize() == Keccak256.hash(message))
        #expect(Keccak256.hash("abc".utf8.lazy.map { $0 }) == Keccak256.hash(message))
        var into = [UInt8](repeating: 0, count: 32)
        into.withUnsafeMutableBytes { Keccak256().finalize(into: $0) }
        #expect(into == Keccak256.hash([UInt8]()))
    }
}

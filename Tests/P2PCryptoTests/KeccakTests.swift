import Testing
@testable import P2PCrypto

/// Known answers. Keccak-256 "" and "abc" are the published Ethereum values; the multi-block
/// Keccak-256 answers come from an independent straightforward (non-unrolled) FIPS 202 sponge
/// that reproduces hashlib's SHA3 on the same inputs; the SHA3 answers are the NIST examples.
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

    @Test func sha3KnownAnswers() {
        #expect(hexString(SHA3_256.hash([UInt8]())) == "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a")
        #expect(hexString(SHA3_256.hash(a3x200)) == "79f38adec5c20307a98ef76e8324afbfd46cfd81b22e3973c65fa1bd9de31787")
        #expect(hexString(SHA3_512.hash(Array("abc".utf8))) == "b751850b1a57168a5693cd924b6b096e08f621827444f70d884f5d0240d2712e10e116e9192af3c91a7ec57647e3934057340b4cf408d5a56592f8274eec53f0")
        #expect(hexString(SHA3_512.hash(a3x200)) == "e76dfad22084a8b1467fcf2ffa58361bec7628edf5f3fdc0e4805dc48caeeca81b7c13c30adf52a3659584739a2df46be589c51ca1a4a8416df6545a1ce8ba00")
    }

    @Test func keccakAndSHA3DifferOnlyByPadding() {
        #expect(Keccak256.hash(a3x200) != SHA3_256.hash(a3x200))
    }

    /// Splitting the input at every point around one and two blocks (rate 136) gives the one-shot digest.
    @Test func incrementalMatchesOneShotAtEverySplit() {
        var rng = SplitMix64(seed: 1)
        let input = rng.bytes(420)
        for length in [0, 1, 135, 136, 137, 271, 272, 273, 420] {
            let message = Array(input[0..<length])
            let expected = Keccak256.hash(message)
            let expected3 = SHA3_512.hash(message)
            for split in 0...length {
                var hasher = Keccak256()
                hasher.update(message[0..<split])
                hasher.update(message[split...])
                #expect(hasher.finalize() == expected, "length \(length) split \(split)")
                var sha3 = SHA3_512()
                sha3.update(message[0..<split])
                sha3.update(message[split...])
                #expect(sha3.finalize() == expected3, "sha3-512 length \(length) split \(split)")
            }
        }
    }

    @Test func randomChunkingAndByteAtATime() {
        var rng = SplitMix64(seed: 2)
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
            var bytewise = SHA3_256()
            for byte in message { bytewise.update([byte]) }
            #expect(hasher.finalize() == Keccak256.hash(message))
            #expect(bytewise.finalize() == SHA3_256.hash(message))
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

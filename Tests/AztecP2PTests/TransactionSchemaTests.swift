import Crypto
import GossipSub
import SSZ
import Snappy
import Testing
@testable import AztecP2P

@Suite struct TransactionSchemaTests {
    @Test func sszRoundTripOfATypicalTransaction() throws {
        var rng = SplitMix64(seed: 1)
        let tx = SyntheticTransactions.make(size: 40_000, using: &rng)
        let bytes = tx.sszEncoded()
        #expect(abs(bytes.count - 40_000) < 64)
        let decoded = try AztecTransaction(sszEncoded: bytes)
        #expect(decoded == tx)
        #expect(decoded.sszEncoded() == bytes)
    }

    @Test func deploymentRoundTripsAndPassesTheRules() throws {
        var rng = SplitMix64(seed: 2)
        let tx = SyntheticTransactions.makeDeployment(bytecodeSize: 20_000, using: &rng)
        let decoded = try TxWireCodec.decode(TxWireCodec.encode(tx), limits: .default)
        #expect(decoded == tx)
        try TxStructuralRules.check(decoded, limits: .default, latestBlock: nil)
    }

    @Test func hashIsTheHashTreeRootAndChangesWithAnyField() {
        let a = TestTx.make(nullifiers: [1, 2])
        #expect(a.hash.root == a.hashTreeRoot())
        var b = a
        b.maxBlockNumber = 9
        #expect(a.hash != b.hash)
        var c = a
        c.proof = (try? ByteList([1])) ?? ByteList()
        #expect(a.hash != c.hash)
        #expect(TxHash(hex: a.hash.description) == a.hash)
    }

    @Test func topicStringAndMessageIDMatchGossipSub() {
        let topic = AztecTopic(aztecChainID: 31337, messageVersion: 2)
        #expect(topic.description == "/aztec/31337/tx/2")
        let data = TxWireCodec.encode(TestTx.make(nullifiers: [5]))
        let viaRouter = AztecTopic.messageIDFunction.id(of: RawMessage(data: data, topic: topic.description))
        #expect(topic.messageID(of: data) == viaRouter)
        var hasher = SHA256()
        hasher.update(data: Array("/aztec/31337/tx/2".utf8))
        hasher.update(data: data)
        #expect(viaRouter.bytes == Array(hasher.finalize().prefix(20)))
    }

    @Test func wireRoundTrip() throws {
        var rng = SplitMix64(seed: 3)
        let tx = SyntheticTransactions.make(size: 10_000, using: &rng)
        let message = TxWireCodec.encode(tx)
        #expect(try SnappyBlock.decompress(message, maxLength: 1 << 20) == tx.sszEncoded())
        #expect(try TxWireCodec.decode(message, limits: .default) == tx)
    }

    @Test func oversizedMessageIsRejectedBeforeDecompression() {
        let limits = TxLimits.default
        let message = [UInt8](repeating: 0, count: limits.maxMessageBytes + 1)
        #expect(throws: TxRejection.messageTooLarge(message.count)) { try TxWireCodec.decode(message, limits: limits) }
    }

    @Test func declaredLengthAboveTheLimitIsRejected() throws {
        var limits = TxLimits.default
        limits.maxTransactionBytes = 1000
        let message = try SnappyBlock.compress([UInt8](repeating: 7, count: 1001))
        #expect(throws: TxRejection.transactionTooLarge(1001)) { try TxWireCodec.decode(message, limits: limits) }
        // A preamble claiming 4 GiB in a 5-byte message.
        #expect(throws: TxRejection.self) { try TxWireCodec.decode([0xFF, 0xFF, 0xFF, 0xFF, 0x0F], limits: limits) }
    }

    @Test func malformedSnappyIsRejected() {
        // Declares 10 bytes, then a copy referring before the start.
        #expect(throws: TxRejection.malformedCompression) { try TxWireCodec.decode([10, 0x01, 0x05], limits: .default) }
        #expect(throws: TxRejection.malformedCompression) { try TxWireCodec.decode([], limits: .default) }
    }

    @Test func malformedSSZIsRejectedWithItsCode() throws {
        let good = TestTx.make(nullifiers: [1]).sszEncoded()
        let truncated = Array(good.dropLast(good.count - 40))
        #expect(throws: TxRejection.self) { try TxWireCodec.decode(TxWireCodec.compress(ssz: truncated), limits: .default) }
        var badOffset = good
        // The first variable field's offset (after context 16 + gas 96 + maxBlock 8 + feePayer 32 = 152).
        badOffset[152] = 0xFF
        badOffset[153] = 0xFF
        do {
            _ = try TxWireCodec.decode(ssz: badOffset, limits: .default)
            Issue.record("accepted a bad offset")
        } catch {
            guard case .malformedSSZ = error else { Issue.record("wrong error \(error)"); return }
        }
    }

    @Test func listLimitsAreEnforcedByTheSchema() {
        var tx = TestTx.make(nullifiers: [1])
        #expect(throws: SSZError.self) { try tx.nullifiers = SSZList((0..<65).map { TestTx.field(UInt64($0)) }) }
        #expect(throws: SSZError.self) { tx.proof = try ByteList([UInt8](repeating: 0, count: 65_537)) }
    }

    @Test func limitsValidation() {
        #expect(throws: ConfigError.self) { try TxLimits(maxTransactionBytes: 0).validated() }
        #expect(throws: ConfigError.self) { try TxLimits(maxProofBytes: 70_000).validated() }
        #expect(throws: ConfigError.self) { try TxLimits(maxGasLimit: 0).validated() }
        #expect(TxLimits.default.maxMessageBytes == SnappyBlock.maxCompressedLength(256 * 1024))
    }

    @Test func hexCoding() {
        #expect(HexCoding.encode([0x00, 0xAB, 0xFF]) == "00abff")
        #expect(HexCoding.decode("0x00abFF") == [0x00, 0xAB, 0xFF])
        #expect(HexCoding.decode("abc") == nil)
        #expect(HexCoding.decode("0xzz") == nil)
        #expect(HexCoding.decode("") == [])
    }
}

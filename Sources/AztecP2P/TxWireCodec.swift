import SSZ
import Snappy

/// The gossip message format: a Snappy block (no framing) of the transaction's SSZ bytes.
///
/// Decoding checks the compressed size, then the declared decompressed size, before any
/// allocation proportional to either, then decodes the SSZ.
public enum TxWireCodec {
    /// The message for `transaction`.
    public static func encode(_ transaction: AztecTransaction) -> [UInt8] {
        compress(ssz: transaction.sszEncoded())
    }

    /// The transaction's SSZ bytes (uncompressed, as the pool's journal stores them).
    public static func ssz(_ transaction: AztecTransaction) -> [UInt8] {
        transaction.sszEncoded()
    }

    /// The message carrying already-encoded SSZ bytes.
    public static func compress(ssz: [UInt8]) -> [UInt8] {
        do { return try SnappyBlock.compress(ssz) } catch {
            // Only inputs beyond 4 GiB fail; transactions are bounded far below.
            preconditionFailure("snappy compression of \(ssz.count) bytes failed: \(error)")
        }
    }

    /// The SSZ bytes inside `message`, bounded by `limits`.
    public static func decompress(_ message: [UInt8], limits: TxLimits) throws(TxRejection) -> [UInt8] {
        guard message.count <= limits.maxMessageBytes else { throw .messageTooLarge(message.count) }
        let declared: Int
        do { declared = try SnappyBlock.uncompressedLength(message) } catch { throw .malformedCompression }
        guard declared <= limits.maxTransactionBytes else { throw .transactionTooLarge(declared) }
        do { return try SnappyBlock.decompress(message, maxLength: limits.maxTransactionBytes) } catch {
            throw .malformedCompression
        }
    }

    /// The transaction in `ssz`, bounded by `limits`.
    public static func decode(ssz: [UInt8], limits: TxLimits) throws(TxRejection) -> AztecTransaction {
        guard ssz.count <= limits.maxTransactionBytes else { throw .transactionTooLarge(ssz.count) }
        do { return try AztecTransaction(sszEncoded: ssz) } catch { throw .malformedSSZ(error.code) }
    }

    /// The transaction in `message` (decompress, then decode).
    public static func decode(_ message: [UInt8], limits: TxLimits) throws(TxRejection) -> AztecTransaction {
        try decode(ssz: decompress(message, limits: limits), limits: limits)
    }
}

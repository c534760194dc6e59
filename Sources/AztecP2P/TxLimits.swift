import Snappy

/// Per-node limits and chain binding applied to every transaction, cheapest checks first.
///
/// Built once through ``validated()``; ``default`` passes through the same checks.
public struct TxLimits: Hashable, Sendable {
    /// The Aztec chain id a transaction's ``TxContext/chainID`` must equal (the topic's must equal it too).
    public var aztecChainID: UInt64
    /// The protocol version a transaction's ``TxContext/version`` must equal.
    public var protocolVersion: UInt64
    /// Largest SSZ encoding accepted (decompressed size). Default 256 KiB: 40 KB typical,
    /// plus room for a deployment's bytecode.
    public var maxTransactionBytes: Int
    /// Largest proof accepted. Default 64 KiB (32 KB typical).
    public var maxProofBytes: Int
    /// Largest public bytecode accepted in a deployment. Default 128 KiB.
    public var maxBytecodeBytes: Int
    /// Largest gas limit per dimension. Default 2^32.
    public var maxGasLimit: UInt64

    /// Limits for chain `aztecChainID` and `protocolVersion`; unchecked until ``validated()``.
    public init(aztecChainID: UInt64 = 1, protocolVersion: UInt64 = 1, maxTransactionBytes: Int = 256 * 1024,
                maxProofBytes: Int = 64 * 1024, maxBytecodeBytes: Int = 128 * 1024, maxGasLimit: UInt64 = 1 << 32) {
        self.aztecChainID = aztecChainID
        self.protocolVersion = protocolVersion
        self.maxTransactionBytes = maxTransactionBytes
        self.maxProofBytes = maxProofBytes
        self.maxBytecodeBytes = maxBytecodeBytes
        self.maxGasLimit = maxGasLimit
    }

    /// The defaults, validated.
    public static let `default`: TxLimits = {
        do { return try TxLimits().validated() } catch { preconditionFailure("default TxLimits invalid: \(error)") }
    }()

    /// The largest compressed message that can decompress to at most ``maxTransactionBytes``
    /// (Snappy's worst-case expansion); larger messages are rejected before decompression.
    public var maxMessageBytes: Int { SnappyBlock.maxCompressedLength(maxTransactionBytes) }

    /// `self` if every limit is positive and consistent, else a ``ConfigError``.
    public func validated() throws(ConfigError) -> TxLimits {
        guard maxTransactionBytes > 0, maxTransactionBytes <= 16 * 1024 * 1024 else {
            throw ConfigError("maxTransactionBytes must be in 1...16 MiB")
        }
        guard maxProofBytes > 0, maxProofBytes <= 65_536 else { throw ConfigError("maxProofBytes must be in 1...65536") }
        guard maxBytecodeBytes >= 0, maxBytecodeBytes <= 131_072 else {
            throw ConfigError("maxBytecodeBytes must be in 0...131072")
        }
        guard maxGasLimit > 0 else { throw ConfigError("maxGasLimit must be positive") }
        return self
    }
}

/// An invalid configuration value, with the rule it broke.
public struct ConfigError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The rule broken, in words.
    public let message: String
    /// An error saying `message`.
    public init(_ message: String) { self.message = message }
    /// ``message``.
    public var description: String { message }
}

import SSZ

/// A BN254 field element as Aztec serializes it: 32 bytes, big-endian.
public typealias AztecField = ByteVector<32>

/// A nullifier: the field element a transaction emits to spend a note (or to claim a one-time
/// action such as registering a contract class). Two transactions with a common nullifier conflict.
public typealias Nullifier = ByteVector<32>

/// The L2 chain a transaction is bound to. A node drops transactions for another chain or version.
@SSZContainer
public struct TxContext: Hashable, Sendable {
    /// The Aztec chain id (the `aztec` key of the ENR, the `<aztec-chain-id>` of the topic).
    public var chainID: UInt64
    /// The protocol version the transaction was built for.
    public var version: UInt64

    /// The context of a transaction for chain `chainID` at protocol `version`.
    public init(chainID: UInt64, version: UInt64) {
        self.chainID = chainID
        self.version = version
    }
}

/// Gas limits and fee caps, per gas dimension (data availability and L2 execution).
@SSZContainer
public struct TxGasSettings: Hashable, Sendable {
    /// The most data-availability gas the transaction may use.
    public var gasLimitDA: UInt64
    /// The most L2 execution gas the transaction may use.
    public var gasLimitL2: UInt64
    /// The data-availability gas reserved for the teardown call; at most ``gasLimitDA``.
    public var teardownGasLimitDA: UInt64
    /// The L2 gas reserved for the teardown call; at most ``gasLimitL2``.
    public var teardownGasLimitL2: UInt64
    /// The most the sender pays per unit of data-availability gas, base fee included.
    public var maxFeePerDAGas: UInt128
    /// The most the sender pays per unit of L2 gas, base fee included.
    public var maxFeePerL2Gas: UInt128
    /// The tip per unit of data-availability gas offered to the sequencer; at most ``maxFeePerDAGas``.
    public var maxPriorityFeePerDAGas: UInt128
    /// The tip per unit of L2 gas; at most ``maxFeePerL2Gas``.
    public var maxPriorityFeePerL2Gas: UInt128

    /// Gas settings from their eight fields, unchecked (``TxStructuralRules`` checks them).
    public init(gasLimitDA: UInt64, gasLimitL2: UInt64, teardownGasLimitDA: UInt64, teardownGasLimitL2: UInt64,
                maxFeePerDAGas: UInt128, maxFeePerL2Gas: UInt128,
                maxPriorityFeePerDAGas: UInt128, maxPriorityFeePerL2Gas: UInt128) {
        self.gasLimitDA = gasLimitDA
        self.gasLimitL2 = gasLimitL2
        self.teardownGasLimitDA = teardownGasLimitDA
        self.teardownGasLimitL2 = teardownGasLimitL2
        self.maxFeePerDAGas = maxFeePerDAGas
        self.maxFeePerL2Gas = maxFeePerL2Gas
        self.maxPriorityFeePerDAGas = maxPriorityFeePerDAGas
        self.maxPriorityFeePerL2Gas = maxPriorityFeePerL2Gas
    }

    /// The fee the pool orders by: the priority fee per unit of gas summed over both dimensions
    /// (saturating, so a hostile value cannot overflow).
    public var priorityFee: UInt128 {
        let (sum, overflow) = maxPriorityFeePerDAGas.addingReportingOverflow(maxPriorityFeePerL2Gas)
        return overflow ? .max : sum
    }
}

/// A public function call the private part of the transaction enqueued for the sequencer to execute.
@SSZContainer
public struct PublicCallRequest: Hashable, Sendable {
    /// The contract called.
    public var contractAddress: AztecField
    /// The caller as the callee sees it.
    public var msgSender: AztecField
    /// The function called.
    public var functionSelector: UInt32
    /// True when the call may not modify state.
    public var isStaticCall: Bool
    /// The call's arguments, one field element each.
    public var calldata: SSZList<AztecField, 256>

    /// A call of `functionSelector` on `contractAddress`.
    public init(contractAddress: AztecField, msgSender: AztecField, functionSelector: UInt32, isStaticCall: Bool,
                calldata: SSZList<AztecField, 256>) {
        self.contractAddress = contractAddress
        self.msgSender = msgSender
        self.functionSelector = functionSelector
        self.isStaticCall = isStaticCall
        self.calldata = calldata
    }
}

/// A log the transaction emits: an encrypted private log (a note for its recipient) or a public one.
@SSZContainer
public struct TxLog: Hashable, Sendable {
    /// 0 = private (encrypted), 1 = public (unencrypted). Other values are rejected.
    public var kind: UInt8
    /// The contract that emitted it.
    public var contractAddress: AztecField
    /// The log's payload (ciphertext for private logs).
    public var data: ByteList<2048>

    /// A log of `kind` (``privateKind`` or ``publicKind``).
    public init(kind: UInt8, contractAddress: AztecField, data: ByteList<2048>) {
        self.kind = kind
        self.contractAddress = contractAddress
        self.data = data
    }

    /// ``kind`` of a private (encrypted) log.
    public static let privateKind: UInt8 = 0
    /// ``kind`` of a public (unencrypted) log.
    public static let publicKind: UInt8 = 1
}

/// A contract class registration: the public bytecode a deployment publishes.
@SSZContainer
public struct ContractDeployment: Hashable, Sendable {
    /// The class id; registering it emits it as a nullifier, so a class is registered once.
    public var contractClassID: AztecField
    /// The hash of the contract artifact the class was compiled from.
    public var artifactHash: AztecField
    /// The root of the class's private functions tree.
    public var privateFunctionsRoot: AztecField
    /// `sha256(publicBytecode)`: binds the bytecode to the registration.
    public var publicBytecodeCommitment: ByteVector<32>
    /// The class's public bytecode, at most 128 KiB (``TxLimits/maxBytecodeBytes`` may narrow it); an empty one is rejected.
    public var publicBytecode: ByteList<131_072>

    /// A registration from its fields, unchecked (``TxStructuralRules`` checks the commitment and size).
    public init(contractClassID: AztecField, artifactHash: AztecField, privateFunctionsRoot: AztecField,
                publicBytecodeCommitment: ByteVector<32>, publicBytecode: ByteList<131_072>) {
        self.contractClassID = contractClassID
        self.artifactHash = artifactHash
        self.privateFunctionsRoot = privateFunctionsRoot
        self.publicBytecodeCommitment = publicBytecodeCommitment
        self.publicBytecode = publicBytecode
    }
}

/// An Aztec transaction as gossiped on `/aztec/<chain>/tx/<version>`: the public inputs of the
/// private kernel (nullifiers, note hashes, messages, logs, enqueued public calls, fees), the
/// private kernel proof, and optionally a contract class registration with its public bytecode.
///
/// Every list has an explicit SSZ limit; ``TxLimits`` narrows them further per node. The
/// transaction hash is the SSZ `hash_tree_root` (``hash``). The schema is documented in
/// `docs/transaction-schema.md`.
@SSZContainer
public struct AztecTransaction: Hashable, Sendable {
    /// The chain and protocol version.
    public var context: TxContext
    /// Gas limits and fees; the pool orders by ``TxGasSettings/priorityFee``.
    public var gasSettings: TxGasSettings
    /// The last block that may include the transaction; 0 means no limit.
    public var maxBlockNumber: UInt64
    /// The account paying the fee.
    public var feePayer: AztecField
    /// At least one, all distinct (the first one makes the transaction unique).
    public var nullifiers: SSZList<Nullifier, 64>
    /// Commitments to the notes the transaction creates.
    public var noteHashes: SSZList<AztecField, 64>
    /// Messages to L1 contracts.
    public var l2ToL1Messages: SSZList<AztecField, 8>
    /// Public calls enqueued by the private part, run by the sequencer in order.
    public var publicCalls: SSZList<PublicCallRequest, 32>
    /// Zero or one teardown call, run after the others (fee payment).
    public var teardownCall: SSZList<PublicCallRequest, 1>
    /// Emitted logs (private notes and public logs).
    public var logs: SSZList<TxLog, 64>
    /// The private kernel proof (about 32 KB in practice).
    public var proof: ByteList<65_536>
    /// Zero or one contract class registration; public bytecode travels only here.
    public var deployment: SSZList<ContractDeployment, 1>

    /// A transaction from its fields, unchecked; the optional parts default to empty.
    public init(context: TxContext, gasSettings: TxGasSettings, maxBlockNumber: UInt64, feePayer: AztecField,
                nullifiers: SSZList<Nullifier, 64>, noteHashes: SSZList<AztecField, 64> = .init(),
                l2ToL1Messages: SSZList<AztecField, 8> = .init(), publicCalls: SSZList<PublicCallRequest, 32> = .init(),
                teardownCall: SSZList<PublicCallRequest, 1> = .init(), logs: SSZList<TxLog, 64> = .init(),
                proof: ByteList<65_536>, deployment: SSZList<ContractDeployment, 1> = .init()) {
        self.context = context
        self.gasSettings = gasSettings
        self.maxBlockNumber = maxBlockNumber
        self.feePayer = feePayer
        self.nullifiers = nullifiers
        self.noteHashes = noteHashes
        self.l2ToL1Messages = l2ToL1Messages
        self.publicCalls = publicCalls
        self.teardownCall = teardownCall
        self.logs = logs
        self.proof = proof
        self.deployment = deployment
    }

    /// The transaction hash: `hash_tree_root` of the transaction.
    public var hash: TxHash { TxHash(hashTreeRoot()) }
}

import Crypto
import SSZ

/// A small deterministic random source (SplitMix64) for synthetic transactions.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) { state = seed }
    /// The next 64 pseudo-random bits (not cryptographically secure).
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Structurally valid transactions with random content, for `aztec-p2p tx send --random`, tests
/// and benchmarks. Their proofs are random bytes: only a no-op verifier accepts them.
public enum SyntheticTransactions {
    /// A transaction of about `size` SSZ bytes (at least the fixed overhead, about 700 bytes, and at
    /// most what the proof limit allows), with `nullifierCount` random nullifiers.
    public static func make(size: Int = 40_000, nullifierCount: Int = 2, priorityFee: UInt128 = 1,
                            maxBlockNumber: UInt64 = 0, limits: TxLimits = .default,
                            using rng: inout some RandomNumberGenerator) -> AztecTransaction {
        let nullifiers = (0..<max(1, min(nullifierCount, 64))).map { _ in randomField(&rng) }
        var tx = AztecTransaction(
            context: TxContext(chainID: limits.aztecChainID, version: limits.protocolVersion),
            gasSettings: TxGasSettings(gasLimitDA: 1_000_000, gasLimitL2: 10_000_000, teardownGasLimitDA: 100_000,
                                       teardownGasLimitL2: 1_000_000, maxFeePerDAGas: priorityFee + 10,
                                       maxFeePerL2Gas: priorityFee + 10, maxPriorityFeePerDAGas: 0,
                                       maxPriorityFeePerL2Gas: priorityFee),
            maxBlockNumber: maxBlockNumber, feePayer: randomField(&rng),
            nullifiers: (try? SSZList(nullifiers)) ?? SSZList(),
            noteHashes: (try? SSZList((0..<2).map { _ in randomField(&rng) })) ?? SSZList(),
            publicCalls: (try? SSZList([PublicCallRequest(
                contractAddress: randomField(&rng), msgSender: randomField(&rng), functionSelector: UInt32.random(in: 0...UInt32.max, using: &rng),
                isStaticCall: false, calldata: (try? SSZList((0..<4).map { _ in randomField(&rng) })) ?? SSZList())])) ?? SSZList(),
            logs: (try? SSZList([TxLog(kind: TxLog.privateKind, contractAddress: randomField(&rng),
                                       data: (try? ByteList(randomBytes(256, &rng))) ?? ByteList())])) ?? SSZList(),
            proof: (try? ByteList(randomBytes(1, &rng))) ?? ByteList())
        let overhead = tx.sszEncodedLength - 1
        let proofSize = min(max(1, size - overhead), min(limits.maxProofBytes, 65_536))
        tx.proof = (try? ByteList(randomBytes(proofSize, &rng))) ?? tx.proof
        return tx
    }

    /// A deployment: `make(...)` plus a contract class registration with `bytecodeSize` bytes of
    /// bytecode, its commitment, and its class id among the nullifiers.
    public static func makeDeployment(size: Int = 40_000, bytecodeSize: Int = 8_000,
                                      using rng: inout some RandomNumberGenerator) -> AztecTransaction {
        var tx = make(size: size, using: &rng)
        let bytecode = randomBytes(bytecodeSize, &rng)
        let classID = randomField(&rng)
        let commitment = (try? ByteVector<32>(Array(SHA256.hash(data: bytecode)))) ?? ByteVector<32>()
        let deployment = ContractDeployment(contractClassID: classID, artifactHash: randomField(&rng),
                                            privateFunctionsRoot: randomField(&rng), publicBytecodeCommitment: commitment,
                                            publicBytecode: (try? ByteList(bytecode)) ?? ByteList())
        tx.deployment = (try? SSZList([deployment])) ?? SSZList()
        try? tx.nullifiers.append(classID)
        return tx
    }

    /// 32 random bytes as a field element (not reduced modulo the BN254 prime).
    public static func randomField(_ rng: inout some RandomNumberGenerator) -> AztecField {
        (try? ByteVector<32>(randomBytes(32, &rng))) ?? ByteVector<32>()
    }

    /// `count` random bytes drawn from `rng`.
    public static func randomBytes(_ count: Int, _ rng: inout some RandomNumberGenerator) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(count + 8)
        while out.count < count {
            var word = rng.next()
            for _ in 0..<8 where out.count < count {
                out.append(UInt8(truncatingIfNeeded: word))
                word >>= 8
            }
        }
        return out
    }
}

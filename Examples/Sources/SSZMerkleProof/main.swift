// Decoding and merkleizing an SSZ container, and checking a Merkle proof of one of its fields.
import SSZ

/// A container as a consensus client would define one: fixed-size and variable-size fields.
@SSZContainer
struct Checkpoint: Equatable {
    var epoch: UInt64
    var root: ByteVector<32>
    var signers: SSZList<UInt16, 1024>
}

let original = try Checkpoint(epoch: 7, root: ByteVector<32>(Array(repeating: 0xAB, count: 32)),
                              signers: SSZList([1, 2, 3]))

// Encode, then decode strictly: malformed input throws an `SSZError`, it never traps.
let bytes = original.sszEncoded()
let decoded = try Checkpoint(sszEncoded: bytes)
precondition(decoded == original)
print("encoded \(bytes.count) bytes; decoded epoch \(decoded.epoch), \(decoded.signers.count) signers")

// The container's hash_tree_root, and a proof that `signers` is part of it.
let root = decoded.hashTreeRoot()
guard let index = GeneralizedIndex.field("signers", of: Checkpoint.self),
      let proof = MerkleTree(container: decoded).proof(for: index) else {
    fatalError("no generalized index for a field the container has")
}
let leaf = decoded.signers.hashTreeRoot()
precondition(MerkleProofs.verify(leaf: leaf, proof: proof, index: index, root: root))
print("root \(root); proof of `signers` at generalized index \(index.rawValue): \(proof.count) sibling hashes, verified")

// A proof does not verify a leaf that was changed.
var tampered = decoded
tampered.signers = try SSZList([1, 2, 4])
precondition(!MerkleProofs.verify(leaf: tampered.signers.hashTreeRoot(), proof: proof, index: index, root: root))
print("a changed signer list fails the proof, as it must")

// Hostile input is normal input: truncated bytes are an error, not a crash.
do {
    _ = try Checkpoint(sszEncoded: Array(bytes.dropLast(3)))
    fatalError("truncated input decoded")
} catch {
    print("truncated input rejected: \(error)")
}

import Testing
@testable import SSZ
import TestSupport

@Suite struct MerkleProofTests {
    var generator = SeededRandom(seed: 42)

    mutating func randomRoot() -> SSZRoot {
        let words = (0 ..< 4).map { _ in generator.next() }
        let bytes = words.flatMap { w in (0 ..< 8).map { UInt8(truncatingIfNeeded: w >> (8 * UInt64($0))) } }
        return SSZRoot(bytes)!
    }

    @Test mutating func singleProofsVerifyAndTamperingFails() throws {
        let leaves = (0 ..< 11).map { _ in randomRoot() }
        let tree = MerkleTree(leaves: leaves, limit: 16)
        #expect(tree.root == Merkleizer.merkleize(leaves, limit: 16))
        for position in 0 ..< 16 {
            let index = try #require(GeneralizedIndex(depth: 4, index: UInt64(position)))
            let proof = try #require(tree.proof(for: index))
            let leaf = position < leaves.count ? leaves[position] : .zero
            #expect(proof.count == 4)
            #expect(MerkleProofs.verify(leaf: leaf, proof: proof, index: index, root: tree.root))
            #expect(!MerkleProofs.verify(leaf: randomRoot(), proof: proof, index: index, root: tree.root))
            var tampered = proof
            tampered[position % 4] = randomRoot()
            #expect(!MerkleProofs.verify(leaf: leaf, proof: tampered, index: index, root: tree.root))
            #expect(!MerkleProofs.verify(leaf: leaf, proof: Array(proof.dropLast()), index: index, root: tree.root))
            #expect(MerkleProofs.verifyMulti(leaves: [leaf], proof: proof, indices: [index], root: tree.root))
        }
    }

    @Test mutating func multiproofsVerifyAndTamperingFails() throws {
        let leaves = (0 ..< 8).map { _ in randomRoot() }
        let tree = MerkleTree(leaves: leaves)
        let indices = [8, 9, 14].compactMap { GeneralizedIndex(UInt64($0)) }
        #expect(MerkleProofs.helperIndices(indices).map(\.rawValue) == [15, 6, 5])
        let proof = try #require(tree.multiproof(for: indices))
        let chosen = [leaves[0], leaves[1], leaves[6]]
        #expect(MerkleProofs.verifyMulti(leaves: chosen, proof: proof, indices: indices, root: tree.root))
        #expect(!MerkleProofs.verifyMulti(leaves: [leaves[0], leaves[2], leaves[6]], proof: proof, indices: indices, root: tree.root))
        #expect(!MerkleProofs.verifyMulti(leaves: chosen, proof: [proof[1], proof[0]], indices: indices, root: tree.root))
        #expect(MerkleProofs.calculateMultiRoot(leaves: chosen, proof: Array(proof.dropFirst()), indices: indices) == nil)
        // Mixed depths: a leaf and an inner node.
        let mixed = [GeneralizedIndex(10)!, GeneralizedIndex(3)!]
        let mixedProof = try #require(tree.multiproof(for: mixed))
        #expect(MerkleProofs.verifyMulti(leaves: [tree.nodes[10], tree.nodes[3]], proof: mixedProof, indices: mixed, root: tree.root))
    }

    @Test func containerFieldProof() throws {
        let value = VarTestStruct(A: 7, B: try SSZList([1, 2, 3]), C: 9)
        let tree = MerkleTree(container: value)
        #expect(tree.root == value.hashTreeRoot())
        let index = try #require(GeneralizedIndex.field("B", of: VarTestStruct.self))
        #expect(index.rawValue == 5)
        let proof = try #require(tree.proof(for: index))
        #expect(MerkleProofs.verify(leaf: value.B.hashTreeRoot(), proof: proof, index: index, root: value.hashTreeRoot()))
        // Into the list: B's length mix-in is the right child of B.
        let lengthIndex = try #require(index.appending(GeneralizedIndex(3)!))
        #expect(lengthIndex.rawValue == 11)
    }

    @Test func indexArithmetic() throws {
        let index = try #require(GeneralizedIndex(13))
        #expect(index.depth == 3)
        #expect(index.sibling.rawValue == 12)
        #expect(index.parent.rawValue == 6)
        #expect(index.child(rightSide: true)?.rawValue == 27)
        #expect(index.bit(0) && !index.bit(1) && index.bit(2))
        #expect(GeneralizedIndex.concatenating([GeneralizedIndex(2)!, GeneralizedIndex(3)!, GeneralizedIndex(5)!])?.rawValue == 0b10_1_01)
        #expect(GeneralizedIndex(0) == nil)
        #expect(GeneralizedIndex(UInt64(1) << 63)!.child(rightSide: false) == nil)
        #expect(index.branchIndices.map(\.rawValue) == [12, 7, 2])
        #expect(index.pathIndices.map(\.rawValue) == [13, 6, 3])
    }
}

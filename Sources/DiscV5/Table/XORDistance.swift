/// Comparisons by Kademlia XOR distance.
public enum XORDistance {
    /// Whether `a` is strictly closer to `target` than `b` (XOR distance, big-endian).
    @inlinable
    public static func isCloser(_ a: NodeID, than b: NodeID, to target: NodeID) -> Bool {
        a.bytes.withUnsafeBufferPointer { a in
            b.bytes.withUnsafeBufferPointer { b in
                target.bytes.withUnsafeBufferPointer { t in
                    for index in 0..<NodeID.byteCount {
                        let da = a[index] ^ t[index]
                        let db = b[index] ^ t[index]
                        if da != db { return da < db }
                    }
                    return false
                }
            }
        }
    }
}

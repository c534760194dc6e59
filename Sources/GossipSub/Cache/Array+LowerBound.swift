extension Array {
    /// The first index whose element's key is not below `key`, in an array sorted by that key
    /// (binary search): where `key` is, or where it would be inserted.
    func lowerBound<Key: Comparable>(of key: Key, by keyOf: (Element) -> Key) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if keyOf(self[middle]) < key { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

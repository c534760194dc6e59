/// The newest `capacity` entries, one per node id (a newer record of a known node replaces its
/// entry in place), oldest first. Linear in `capacity` per insertion, which is a few hundred.
struct RecentEntries: Sendable {
    let capacity: Int
    private(set) var entries: [TableEntry] = []
    private var ids: Set<NodeID> = []

    init(capacity: Int) {
        self.capacity = capacity
    }

    mutating func remember(_ entry: TableEntry) {
        guard capacity > 0 else { return }
        if ids.contains(entry.nodeID) {
            if let index = entries.firstIndex(where: { $0.nodeID == entry.nodeID }),
               entry.record.sequenceNumber > entries[index].record.sequenceNumber {
                entries[index] = entry
            }
            return
        }
        if entries.count == capacity { ids.remove(entries.removeFirst().nodeID) }
        entries.append(entry)
        ids.insert(entry.nodeID)
    }
}

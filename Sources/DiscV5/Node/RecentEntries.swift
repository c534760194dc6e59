import DequeModule

/// The newest `capacity` entries, one per node id (a newer record of a known node replaces its
/// entry in place), oldest first, and at most `maximumPerSubnet` from any /24 (/64 for IPv6), as
/// the table limits them: records a peer merely names must not let one address block crowd out
/// the rest. Linear in `capacity` per replacement, which is a few hundred.
struct RecentEntries: Sendable {
    let capacity: Int
    let maximumPerSubnet: Int?
    private(set) var entries = Deque<TableEntry>()
    private var ids: Set<NodeID> = []
    private var perSubnet: [Subnet: Int] = [:]

    init(capacity: Int, maximumPerSubnet: Int?) {
        self.capacity = capacity
        self.maximumPerSubnet = maximumPerSubnet
    }

    mutating func remember(_ entry: TableEntry) {
        guard capacity > 0 else { return }
        if ids.contains(entry.nodeID) {
            if let index = entries.firstIndex(where: { $0.nodeID == entry.nodeID }),
               entry.record.sequenceNumber > entries[index].record.sequenceNumber,
               Subnet(ip: entry.endpoint.ip) == Subnet(ip: entries[index].endpoint.ip) {
                entries[index] = entry
            }
            return
        }
        let subnet = Subnet(ip: entry.endpoint.ip)
        if let subnet, let limit = maximumPerSubnet, perSubnet[subnet, default: 0] >= limit { return }
        if entries.count == capacity { forget(entries.removeFirst()) }
        entries.append(entry)
        ids.insert(entry.nodeID)
        if let subnet { perSubnet[subnet, default: 0] += 1 }
    }

    private mutating func forget(_ entry: TableEntry) {
        ids.remove(entry.nodeID)
        guard let subnet = Subnet(ip: entry.endpoint.ip), let count = perSubnet[subnet] else { return }
        perSubnet[subnet] = count > 1 ? count - 1 : nil
    }
}

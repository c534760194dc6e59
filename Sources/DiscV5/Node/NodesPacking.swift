import ENR

/// Splitting a FINDNODE answer into NODES messages that each fit one packet.
enum NodesPacking {
    /// Bytes of records per NODES message: 1280 minus the packet's masking IV, static header,
    /// authdata and GCM tag (87) and the message's own framing (type, list headers, request id,
    /// total: at most 25), with a margin.
    static let recordBudget = 1_100

    /// The NODES messages answering `requestID` with `records` (one empty message when none).
    static func messages(requestID: RequestID, records: [NodeRecord]) -> [Nodes] {
        var groups: [[NodeRecord]] = [[]]
        var used = 0
        for record in records {
            let size = record.rlpEncoding.count
            if used + size > recordBudget, !(groups[groups.count - 1].isEmpty) {
                groups.append([])
                used = 0
            }
            groups[groups.count - 1].append(record)
            used += size
        }
        return groups.map { Nodes(requestID: requestID, total: UInt64(groups.count), records: $0) }
    }
}

/// The WHOAREYOU challenges a node has sent and awaits handshakes for: at most `capacity`, each
/// with its deadline.
///
/// Every challenge lives for the same timeout, so they expire in the order they were made and a
/// queue in that order gives the earliest deadline at once. When the table is full a new
/// challenge replaces a random one. Forged packets from forged addresses (which no limit per
/// address catches) can fill any table; refusing new challenges then would shut out every honest
/// handshake for as long as the flood lasts, while a random replacement only shortens an honest
/// challenge's life: it survives a round trip `rtt` under `R` forged packets a second with
/// probability about `exp(-R · rtt / capacity)`.
struct ChallengeTable<Value: Sendable>: Sendable {
    private struct Entry: Sendable {
        var value: Value
        var deadline: Duration
        /// Position in `addresses`.
        var slot: Int
    }

    let capacity: Int
    private var entries: [NodeAddress: Entry] = [:]
    /// Every address with a challenge, in no order: a random one is evicted in O(1).
    private var addresses: [NodeAddress] = []
    /// Addresses by deadline, oldest first from `expiryHead`; an item whose challenge has gone or
    /// was replaced since is skipped. The head item is always current (see `dropStaleHead`).
    private var expiry: [(address: NodeAddress, deadline: Duration)] = []
    private var expiryHead = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    var count: Int { entries.count }

    /// Items in the expiry queue (at most about twice ``count``).
    var queuedForExpiry: Int { expiry.count - expiryHead }

    /// The earliest deadline of a challenge held.
    var earliestDeadline: Duration? { expiryHead < expiry.count ? expiry[expiryHead].deadline : nil }

    subscript(address: NodeAddress) -> (value: Value, deadline: Duration)? {
        entries[address].map { ($0.value, $0.deadline) }
    }

    /// Holds `value` for `address` until `deadline` (not before any deadline held), replacing
    /// its earlier challenge, or, when full, a random other one.
    mutating func insert(_ value: Value, for address: NodeAddress, deadline: Duration, using random: inout some RandomNumberGenerator) {
        if entries[address] != nil {
            remove(address)
        } else if entries.count >= capacity {
            remove(addresses[Int.random(in: 0..<addresses.count, using: &random)])
        }
        entries[address] = Entry(value: value, deadline: deadline, slot: addresses.count)
        addresses.append(address)
        expiry.append((address, deadline))
        dropStaleHead()
    }

    mutating func remove(_ address: NodeAddress) {
        guard let entry = entries.removeValue(forKey: address) else { return }
        let last = addresses.removeLast()
        if entry.slot < addresses.count {
            addresses[entry.slot] = last
            entries[last]?.slot = entry.slot
        }
        dropStaleHead()
    }

    /// Drops the challenges whose deadline is at or before `now`.
    mutating func expire(now: Duration) {
        while expiryHead < expiry.count, expiry[expiryHead].deadline <= now {
            let (address, deadline) = expiry[expiryHead]
            expiryHead += 1
            if entries[address]?.deadline == deadline { remove(address) }
        }
        dropStaleHead()
    }

    /// Skips queue items of challenges no longer held, and compacts the queue once the skipped
    /// part is most of it, so it stays O(capacity).
    private mutating func dropStaleHead() {
        while expiryHead < expiry.count {
            let (address, deadline) = expiry[expiryHead]
            if entries[address]?.deadline == deadline { break }
            expiryHead += 1
        }
        if expiryHead > 64, expiryHead * 2 > expiry.count {
            expiry.removeFirst(expiryHead)
            expiryHead = 0
        }
        // Items of removed challenges behind the head are skipped only when they reach it;
        // a stream of challenges answered out of order could grow the queue: rebuild it then.
        if expiry.count - expiryHead > 2 * entries.count + 64 {
            expiry = expiry[expiryHead...].filter { entries[$0.address]?.deadline == $0.deadline }
            expiryHead = 0
        }
    }
}

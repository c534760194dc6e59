/// A bounded number of concurrent validations plus a bounded wait queue: when both are full the
/// caller is told to drop the work (``TxIgnoreReason/overloaded``) instead of queueing without bound.
actor ValidationSlots {
    private var available: Int
    private let maxWaiting: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var head = 0
    /// The most slots ever taken at once (tests, metrics).
    private(set) var peakInFlight = 0
    private let capacity: Int

    init(capacity: Int, maxWaiting: Int) {
        self.available = capacity
        self.capacity = capacity
        self.maxWaiting = maxWaiting
    }

    /// Takes a slot, waiting if necessary; `false` when the wait queue is full.
    func acquire() async -> Bool {
        if available > 0 {
            available -= 1
            peakInFlight = max(peakInFlight, capacity - available)
            return true
        }
        guard waiters.count - head < maxWaiting else { return false }
        await withCheckedContinuation { waiters.append($0) }
        return true
    }

    /// Returns a slot, handing it straight to the oldest waiter if any.
    func release() {
        if head < waiters.count {
            let next = waiters[head]
            head += 1
            if head > 64, head * 2 > waiters.count {
                waiters.removeFirst(head)
                head = 0
            }
            next.resume()
        } else {
            available += 1
        }
    }
}

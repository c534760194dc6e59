import DequeModule

/// A counting semaphore for the requests an ``HTTPEndpoint`` works on at once: a request takes a
/// slot before its handler runs and gives it back after. Waiters are served first come, first
/// served; there are at most as many as open connections (each connection's requests are handled
/// one after the other), which ``HTTPEndpointLimits/maxConnections`` bounds.
actor RequestSlots {
    private var free: Int
    private var waiters = Deque<CheckedContinuation<Void, Never>>()

    init(count: Int) {
        free = max(1, count)
    }

    /// Runs `body` holding one slot.
    func withSlot<T: Sendable>(_ body: @Sendable () async throws -> T) async rethrows -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty {
            free += 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}

import Synchronization

/// How many buffers a stream's reader has taken, counted by the reader's iterator without a hop
/// to the event loop. The connection's stall timer compares it with the count it saw when it
/// started: a reader that took anything meanwhile is slow, not stuck.
final class StreamReadProgress: Sendable {
    private let taken = Atomic<Int>(0)

    /// Counts one buffer taken.
    func tookOne() { taken.add(1, ordering: .relaxed) }

    /// Buffers taken so far.
    var count: Int { taken.load(ordering: .relaxed) }
}

import GossipSubHost
import Synchronization

/// What the devnet measured: when each transaction was published and when each node got it.
/// A transaction is known by its index: the GossipSub devnet's messages carry it in their first
/// 8 bytes, the Aztec devnet's transactions are registered by hash when submitted.
final class DevnetCollector: Sendable {
    struct Record {
        var publisher: Int
        var publishedAt: ContinuousClock.Instant
        /// Latency at each receiving node, by node index.
        var latencies: [Int: Duration] = [:]
    }

    private struct State {
        var records: [Record] = []
        var arrivals = 0
        var unknown = 0
        var indexByKey: [[UInt8]: Int] = [:]
    }

    let nodes: Int
    private let state = Mutex(State())

    init(nodes: Int) { self.nodes = nodes }

    func published(index: Int, by publisher: Int, at instant: ContinuousClock.Instant) {
        state.withLock { s in
            precondition(index == s.records.count, "transactions are published in order")
            s.records.append(Record(publisher: publisher, publishedAt: instant))
        }
    }

    /// Records the next transaction, known by `key` (its hash), and returns its index.
    @discardableResult
    func published(key: [UInt8], by publisher: Int, at instant: ContinuousClock.Instant) -> Int {
        state.withLock { s in
            let index = s.records.count
            s.records.append(Record(publisher: publisher, publishedAt: instant))
            s.indexByKey[key] = index
            return index
        }
    }

    /// A GossipSub message whose first 8 bytes are its index.
    func arrived(_ message: ReceivedMessage, at node: Int) {
        let data = message.message.data
        guard data.count >= 8 else { return }
        arrived(index: data.prefix(8).reduce(0) { $0 << 8 | Int($1) }, at: node, time: message.receivedAt)
    }

    /// A transaction registered with ``published(key:by:at:)``; the publisher's own copy is not counted.
    func arrived(key: [UInt8], at node: Int, time: ContinuousClock.Instant) {
        state.withLock { s in
            guard let index = s.indexByKey[key] else { s.unknown += 1; return }
            Self.record(index, at: node, time: time, in: &s)
        }
    }

    private func arrived(index: Int, at node: Int, time: ContinuousClock.Instant) {
        state.withLock { Self.record(index, at: node, time: time, in: &$0) }
    }

    private static func record(_ index: Int, at node: Int, time: ContinuousClock.Instant, in s: inout State) {
        guard index >= 0, index < s.records.count, s.records[index].latencies[node] == nil else { s.unknown += 1; return }
        guard s.records[index].publisher != node else { return }
        s.records[index].latencies[node] = time - s.records[index].publishedAt
        s.arrivals += 1
    }

    /// Every published transaction reached every other node.
    var complete: Bool { state.withLock { $0.arrivals == $0.records.count * (nodes - 1) } }

    var records: [Record] { state.withLock { $0.records } }

    /// One progress line.
    func progress(elapsed: Duration, planned: Int) -> String {
        let (count, arrivals, latencies) = state.withLock { s in
            (s.records.count, s.arrivals, s.records.suffix(50).flatMap { $0.latencies.values })
        }
        let expected = max(1, count * (nodes - 1))
        let sorted = latencies.sorted()
        return "[\(fmtDuration(elapsed))] published \(count)/\(planned), delivered "
            + "\(fmt(100 * Double(arrivals) / Double(expected), 1)) %, recent latency p50 "
            + "\(ms(percentile(sorted, 0.5))) p99 \(ms(percentile(sorted, 0.99)))"
    }
}

func percentile(_ sorted: [Duration], _ q: Double) -> Duration? {
    guard !sorted.isEmpty else { return nil }
    let rank = Int((q * Double(sorted.count)).rounded(.up)) - 1
    return sorted[min(max(rank, 0), sorted.count - 1)]
}

func ms(_ d: Duration?) -> String {
    guard let d else { return "-" }
    return fmt((Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18) * 1000, 1) + " ms"
}

/// A peer's per-topic score counters, kept in topic order: a peer is in a few topics, so a
/// sorted array searched by comparison beats hashing the topic string, and the score sums its
/// topics in a fixed order (floating-point sums must not depend on hash order) without sorting.
struct TopicTable<Value: Sendable>: Sendable {
    private(set) var entries: [(topic: String, value: Value)] = []

    var topics: [String] { entries.map(\.topic) }

    /// Where `topic` is, or where it would go.
    private func position(of topic: String) -> (index: Int, found: Bool) {
        let index = entries.lowerBound(of: topic) { $0.topic }
        return (index, index < entries.count && entries[index].topic == topic)
    }

    subscript(topic: String) -> Value? {
        get {
            let (index, found) = position(of: topic)
            return found ? entries[index].value : nil
        }
        set {
            let (index, found) = position(of: topic)
            switch (found, newValue) {
            case (true, let value?): entries[index].value = value
            case (true, nil): entries.remove(at: index)
            case (false, let value?): entries.insert((topic, value), at: index)
            case (false, nil): break
            }
        }
    }

    subscript(topic: String, default value: @autoclosure () -> Value) -> Value {
        get { self[topic] ?? value() }
        _modify {
            var (index, found) = position(of: topic)
            if !found {
                entries.insert((topic, value()), at: index)
                found = true
            }
            yield &entries[index].value
        }
    }

    /// Updates every value in place, in topic order.
    mutating func updateEach(_ body: (inout Value) -> Void) {
        for index in entries.indices { body(&entries[index].value) }
    }
}

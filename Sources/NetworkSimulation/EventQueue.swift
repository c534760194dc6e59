/// The simulation's agenda: a binary min-heap of timed events. Events at the same instant come out
/// in the order they were pushed, so a run is a pure function of its inputs.
public struct EventQueue<Event> {
    struct Entry {
        let time: SimulatedInstant
        let sequence: UInt64
        let event: Event

        func precedes(_ other: Entry) -> Bool {
            time != other.time ? time < other.time : sequence < other.sequence
        }
    }

    private var heap: [Entry] = []
    private var nextSequence: UInt64 = 0

    public init() {}

    public var count: Int { heap.count }
    public var isEmpty: Bool { heap.isEmpty }
    /// When the next event is due.
    public var nextTime: SimulatedInstant? { heap.first?.time }

    public mutating func push(_ event: Event, at time: SimulatedInstant) {
        heap.append(Entry(time: time, sequence: nextSequence, event: event))
        nextSequence &+= 1
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest event, if it is due at or before `end`.

    public mutating func pop(notAfter end: SimulatedInstant) -> (time: SimulatedInstant, event: Event)? {
        guard let first = heap.first, first.time <= end else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var smallest = parent
                if left < heap.count, heap[left].precedes(heap[smallest]) { smallest = left }
                if right < heap.count, heap[right].precedes(heap[smallest]) { smallest = right }
                if smallest == parent { break }
                heap.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return (first.time, first.event)
    }
}

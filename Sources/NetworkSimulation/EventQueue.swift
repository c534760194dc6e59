/// The simulation's agenda: a binary min-heap of timed events. Events at the same instant come out
/// in the order they were pushed, so a run is a pure function of its inputs.
///
/// The heap holds plain keys (time, order, slot) and the events wait in slots beside it, so
/// sifting moves 24-byte values without reference counting, whatever an event carries.
public struct EventQueue<Event> {
    struct Key {
        let time: Int64
        let sequence: UInt64
        let slot: Int32

        @inline(__always)
        func precedes(_ other: Key) -> Bool {
            time != other.time ? time < other.time : sequence < other.sequence
        }
    }

    private var heap: [Key] = []
    private var slots: [Event?] = []
    private var freeSlots: [Int32] = []
    private var nextSequence: UInt64 = 0

    public init() {}

    public var count: Int { heap.count }
    public var isEmpty: Bool { heap.isEmpty }
    /// When the next event is due.
    public var nextTime: SimulatedInstant? { heap.first.map { SimulatedInstant(nanoseconds: $0.time) } }

    public mutating func push(_ event: Event, at time: SimulatedInstant) {
        let slot: Int32
        if let reused = freeSlots.popLast() {
            slot = reused
            slots[Int(slot)] = event
        } else {
            slot = Int32(slots.count)
            slots.append(event)
        }
        heap.append(Key(time: time.nanoseconds, sequence: nextSequence, slot: slot))
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
        guard let first = heap.first, first.time <= end.nanoseconds else { return nil }
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
        var event: Event? = nil
        swap(&event, &slots[Int(first.slot)])
        freeSlots.append(first.slot)
        return (SimulatedInstant(nanoseconds: first.time), event!)
    }
}

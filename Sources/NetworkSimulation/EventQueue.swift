import HeapModule

/// The simulation's agenda: a min-heap of timed events. Events at the same instant come out in
/// the order they were pushed, so a run is a pure function of its inputs.
///
/// The heap (swift-collections' `Heap`) holds plain keys (time, order, slot) and the events wait
/// in slots beside it, so sifting moves 24-byte values without reference counting, whatever an
/// event carries. `Heap` replaced a hand-written binary heap here: in a hold model of 200,000
/// pending events it took 23% fewer instructions (callgrind, 550 M against 711 M for 200,000
/// pushes and 500,000 pop-and-push steps).
public struct EventQueue<Event> {
    struct Key: Comparable {
        let time: Int64
        let sequence: UInt64
        let slot: Int32

        @inline(__always)
        static func < (a: Key, b: Key) -> Bool {
            a.time != b.time ? a.time < b.time : a.sequence < b.sequence
        }

        // Sequences are unique, so (time, sequence) orders keys totally.
        @inline(__always)
        static func == (a: Key, b: Key) -> Bool { a.time == b.time && a.sequence == b.sequence }
    }

    private var heap = Heap<Key>()
    private var slots: [Event?] = []
    private var freeSlots: [Int32] = []
    private var nextSequence: UInt64 = 0

    /// An empty queue.
    public init() {}

    /// Events waiting.
    public var count: Int { heap.count }
    /// Whether no event is waiting.
    public var isEmpty: Bool { heap.isEmpty }
    /// When the next event is due.
    public var nextTime: SimulatedInstant? { heap.min.map { SimulatedInstant(nanoseconds: $0.time) } }

    /// Schedules `event` at `time`; it comes out after every event pushed earlier for the same instant.
    public mutating func push(_ event: Event, at time: SimulatedInstant) {
        let slot: Int32
        if let reused = freeSlots.popLast() {
            slot = reused
            slots[Int(slot)] = event
        } else {
            slot = Int32(slots.count)
            slots.append(event)
        }
        heap.insert(Key(time: time.nanoseconds, sequence: nextSequence, slot: slot))
        nextSequence &+= 1
    }

    /// Removes and returns the earliest event, if it is due at or before `end`.
    public mutating func pop(notAfter end: SimulatedInstant) -> (time: SimulatedInstant, event: Event)? {
        guard let first = heap.min, first.time <= end.nanoseconds else { return nil }
        _ = heap.popMin()
        var event: Event? = nil
        swap(&event, &slots[Int(first.slot)])
        freeSlots.append(first.slot)
        return (SimulatedInstant(nanoseconds: first.time), event!)
    }
}

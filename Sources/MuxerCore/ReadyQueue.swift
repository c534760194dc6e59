/// Stream ids waiting to send, served in round-robin order: taken from the front, put back at
/// the end. The front advances by an index; the storage is compacted when the served prefix
/// grows large, so neither end costs a shift per operation.
public struct ReadyQueue<ID: Sendable>: Sendable {
    @usableFromInline var ids: [ID] = []
    @usableFromInline var head = 0

    /// An empty queue.
    public init() {}

    /// Whether an id is waiting.
    @inlinable
    public var isEmpty: Bool { head == ids.count }

    /// Puts `id` at the end.
    @inlinable
    public mutating func append(_ id: ID) { ids.append(id) }

    /// Takes the id at the front.
    @inlinable
    public mutating func popFirst() -> ID? {
        guard head < ids.count else { return nil }
        head += 1
        return ids[head - 1]
    }

    /// Releases the storage of ids already served (call after a round of ``popFirst()``).
    @inlinable
    public mutating func compact() {
        if head == ids.count {
            ids.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 64, head * 2 > ids.count {
            ids.removeFirst(head)
            head = 0
        }
    }
}

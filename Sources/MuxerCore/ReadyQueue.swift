import DequeModule

/// Stream ids waiting to send, served in round-robin order: taken from the front, put back at
/// the end.
public struct ReadyQueue<ID: Sendable>: Sendable {
    @usableFromInline var ids = Deque<ID>()

    /// An empty queue.
    public init() {}

    /// Whether an id is waiting.
    @inlinable
    public var isEmpty: Bool { ids.isEmpty }

    /// Puts `id` at the end.
    @inlinable
    public mutating func append(_ id: ID) { ids.append(id) }

    /// Takes the id at the front.
    @inlinable
    public mutating func popFirst() -> ID? { ids.popFirst() }
}

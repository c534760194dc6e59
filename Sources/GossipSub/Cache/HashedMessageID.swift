/// A message id with its hash computed once, as the key of the large id tables (seen cache,
/// message cache).
///
/// Removing a key from a Swift dictionary rehashes the keys after it in its probe run, and
/// growing one rehashes them all; with the hash kept in the key neither reads the ids' bytes
/// again. The stored hash is the process-seeded `hashValue` of the whole id, so the table keeps
/// the standard library's protection against chosen collisions.
struct HashedMessageID: Hashable, Sendable {
    let id: MessageID
    private let hash: Int

    init(_ id: MessageID) {
        self.id = id
        self.hash = id.hashValue
    }

    static func == (lhs: HashedMessageID, rhs: HashedMessageID) -> Bool {
        lhs.hash == rhs.hash && lhs.id == rhs.id
    }

    func hash(into hasher: inout Hasher) { hasher.combine(hash) }
}

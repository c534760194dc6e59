/// The gossipsub message cache: recent messages in heartbeat windows.
///
/// `put` adds to the current window, `shift` (once per heartbeat) opens a new window and drops
/// the oldest; IHAVE advertises the ids of the newest `gossipWindows` windows; IWANT is answered
/// from every window.
public struct MessageCache<Peer: Hashable & Sendable>: Sendable {
    struct Entry: Sendable {
        var message: Message
        /// Times this message was sent to each peer through IWANT.
        var iwantCounts: [Peer: Int] = [:]
    }

    private var entries: [HashedMessageID: Entry] = [:]
    /// `windows[0]` is the newest window: its ids by topic, in insertion order.
    private var windows: [[String: [HashedMessageID]]]
    private let gossipWindows: Int

    /// An empty cache holding `windows` heartbeat windows (`mcacheLen`), of which the newest
    /// `gossipWindows` (`mcacheGossip`) are advertised; needs `1 <= gossipWindows <= windows`.
    public init(windows: Int, gossipWindows: Int) {
        precondition(windows >= 1 && gossipWindows >= 1 && gossipWindows <= windows)
        self.windows = [[:]]
        self.windows.reserveCapacity(windows)
        self.historyLength = windows
        self.gossipWindows = gossipWindows
    }

    private let historyLength: Int

    /// Messages held, over all windows.
    public var count: Int { entries.count }

    /// Stores `message` in the current window. Returns false if it is already cached.
    @discardableResult
    public mutating func put(_ message: Message) -> Bool {
        let key = HashedMessageID(message.id)
        guard entries[key] == nil else { return false }
        entries[key] = Entry(message: message)
        windows[0][message.topic, default: []].append(key)
        return true
    }

    /// The cached message with id `id`, or `nil` when it is not (or no longer) held.
    public func get(_ id: MessageID) -> Message? { entries[HashedMessageID(id)]?.message }

    /// The message for an IWANT from `peer`, with the number of times it has now been sent to
    /// that peer this way.
    public mutating func getForPeer(_ id: MessageID, peer: Peer) -> (Message, Int)? {
        let key = HashedMessageID(id)
        guard var entry = entries[key] else { return nil }
        let n = (entry.iwantCounts[peer] ?? 0) + 1
        entry.iwantCounts[peer] = n
        entries[key] = entry
        return (entry.message, n)
    }

    /// Ids in the gossip windows for `topic`, newest window first, insertion order within one.
    public func gossipIDs(topic: String) -> [MessageID] {
        var ids: [MessageID] = []
        for window in windows.prefix(gossipWindows) { ids += (window[topic] ?? []).lazy.map(\.id) }
        return ids
    }

    /// Opens a new window, evicting the oldest when the history is full.
    public mutating func shift() {
        if windows.count == historyLength, let oldest = windows.popLast() {
            for ids in oldest.values { for id in ids { entries[id] = nil } }
        }
        windows.insert([:], at: 0)
    }
}

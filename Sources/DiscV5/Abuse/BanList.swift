/// Banned keys (node ids) with expiry, bounded in size, plus the offences counted per key that
/// ban it when they reach a threshold.
///
/// An offence is counted with its evidence (the nonce of the offending packet): the same evidence
/// counts once, so replaying one captured packet cannot add up to a ban. Offences older than the
/// window given to ``strike(_:evidence:threshold:window:until:now:)`` are forgotten.
public struct BanList<Key: Hashable & Sendable>: Sendable {
    struct Strikes: Sendable {
        var evidence: [[UInt8]]
        var first: Duration
    }

    /// Bans held at most, and offence records kept at most.
    public let capacity: Int
    private var bans: [Key: Duration] = [:]
    private var strikes: [Key: Strikes] = [:]

    /// A list holding at most `capacity` bans and as many offence records.
    public init(capacity: Int) {
        self.capacity = max(capacity, 1)
    }

    /// Number of bans held (expired ones included until they are purged).
    public var count: Int { bans.count }

    /// Number of keys with offences counted but not banned.
    public var offenderCount: Int { strikes.count }

    /// Whether `key` is banned at `now`.
    public func isBanned(_ key: Key, now: Duration) -> Bool {
        guard let expiry = bans[key] else { return false }
        return expiry > now
    }

    /// Bans `key` until `until`.
    public mutating func ban(_ key: Key, until: Duration, now: Duration) {
        if bans[key] == nil, bans.count >= capacity {
            bans = bans.filter { $0.value > now }
            if bans.count >= capacity, let soonest = bans.min(by: { $0.value < $1.value })?.key { bans[soonest] = nil }
        }
        bans[key] = until
        strikes[key] = nil
    }

    /// Counts one offence of `key` proven by `evidence`; evidence already counted adds nothing.
    /// At `threshold` distinct offences within `window` the key is banned until `until`.
    /// Returns the offences counted when this strike banned the key, `nil` otherwise.
    public mutating func strike(
        _ key: Key, evidence: [UInt8], threshold: Int, window: Duration, until: Duration, now: Duration
    ) -> Int? {
        var record = strikes[key].flatMap { now - $0.first < window ? $0 : nil } ?? Strikes(evidence: [], first: now)
        guard !record.evidence.contains(evidence) else { return nil }
        record.evidence.append(evidence)
        guard record.evidence.count >= max(threshold, 1) else {
            if strikes[key] == nil, strikes.count >= capacity {
                strikes = strikes.filter { now - $0.value.first < window }
                if strikes.count >= capacity { strikes.removeAll(keepingCapacity: true) }
            }
            strikes[key] = record
            return nil
        }
        ban(key, until: until, now: now)
        return record.evidence.count
    }

    /// Removes expired bans.
    public mutating func purge(now: Duration) {
        bans = bans.filter { $0.value > now }
    }
}

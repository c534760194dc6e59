/// A point on the caller's clock (a `Duration` since its origin) in 8 bytes instead of 16: whole
/// nanoseconds, saturating beyond about ±292 years. The caches that keep one for every message
/// a node saw (the seen cache, the score's delivery records) use it: 10,000 simulated nodes hold
/// twelve million of each in 120 s of a simulation's `baseline`.
struct CompactInstant: Comparable, Sendable {
    let nanoseconds: Int64

    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (sum, carry) = whole.addingReportingOverflow(attoseconds / 1_000_000_000)
        nanoseconds = overflow || carry ? (seconds < 0 ? .min : .max) : sum
    }

    /// The instant as a duration since the clock's origin.
    var duration: Duration { .nanoseconds(nanoseconds) }

    static func < (a: CompactInstant, b: CompactInstant) -> Bool { a.nanoseconds < b.nanoseconds }
}

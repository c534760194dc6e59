/// A point in a simulation's virtual time: nanoseconds since the simulation started.
///
/// An integer rather than `Duration` (two 64-bit words): the event queue of a 10,000-node run
/// compares and stores millions of these.
public struct SimulatedInstant: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) {
        self.nanoseconds = nanoseconds
    }

    public static let zero = SimulatedInstant(nanoseconds: 0)

    /// The instant `duration` after the start.
    public init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        nanoseconds = seconds &* 1_000_000_000 &+ attoseconds / 1_000_000_000
    }

    public static func seconds(_ seconds: Double) -> SimulatedInstant {
        SimulatedInstant(nanoseconds: Int64((seconds * 1e9).rounded()))
    }

    public static func milliseconds(_ milliseconds: Double) -> SimulatedInstant {
        SimulatedInstant(nanoseconds: Int64((milliseconds * 1e6).rounded()))
    }

    public var seconds: Double { Double(nanoseconds) / 1e9 }

    /// The same instant as a `Duration` since the start (what the protocol cores take as `now`).
    public var sinceStart: Duration { .nanoseconds(nanoseconds) }

    public static func < (a: SimulatedInstant, b: SimulatedInstant) -> Bool { a.nanoseconds < b.nanoseconds }

    public static func + (a: SimulatedInstant, b: SimulatedInstant) -> SimulatedInstant {
        SimulatedInstant(nanoseconds: a.nanoseconds &+ b.nanoseconds)
    }

    public static func - (a: SimulatedInstant, b: SimulatedInstant) -> SimulatedInstant {
        SimulatedInstant(nanoseconds: a.nanoseconds &- b.nanoseconds)
    }

    public var description: String { "\(seconds) s" }
}

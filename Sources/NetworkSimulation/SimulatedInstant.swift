/// A point in a simulation's virtual time: nanoseconds since the simulation started.
///
/// An integer rather than `Duration` (two 64-bit words): the event queue of a 10,000-node run
/// compares and stores millions of these.
public struct SimulatedInstant: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Nanoseconds since the start (negative only for a difference of instants that goes back).
    public var nanoseconds: Int64

    /// The instant `nanoseconds` after the start.
    public init(nanoseconds: Int64) {
        self.nanoseconds = nanoseconds
    }

    /// The start of the simulation (also the zero duration).
    public static let zero = SimulatedInstant(nanoseconds: 0)

    /// The instant `duration` after the start.
    public init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        nanoseconds = seconds &* 1_000_000_000 &+ attoseconds / 1_000_000_000
    }

    /// The instant `seconds` after the start (or a duration that long), rounded to the nanosecond.
    public static func seconds(_ seconds: Double) -> SimulatedInstant {
        SimulatedInstant(nanoseconds: Int64((seconds * 1e9).rounded()))
    }

    /// The instant `milliseconds` after the start (or a duration that long), rounded to the
    /// nanosecond.
    public static func milliseconds(_ milliseconds: Double) -> SimulatedInstant {
        SimulatedInstant(nanoseconds: Int64((milliseconds * 1e6).rounded()))
    }

    /// Seconds since the start.
    public var seconds: Double { Double(nanoseconds) / 1e9 }

    /// The same instant as a `Duration` since the start (what the protocol cores take as `now`).
    public var sinceStart: Duration { .nanoseconds(nanoseconds) }

    /// Whether `a` comes before `b`.
    public static func < (a: SimulatedInstant, b: SimulatedInstant) -> Bool { a.nanoseconds < b.nanoseconds }

    /// `a` moved on by `b` taken as a duration (wrapping on overflow).
    public static func + (a: SimulatedInstant, b: SimulatedInstant) -> SimulatedInstant {
        SimulatedInstant(nanoseconds: a.nanoseconds &+ b.nanoseconds)
    }

    /// The time from `b` to `a`, or `a` moved back by `b` taken as a duration (wrapping on
    /// overflow).
    public static func - (a: SimulatedInstant, b: SimulatedInstant) -> SimulatedInstant {
        SimulatedInstant(nanoseconds: a.nanoseconds &- b.nanoseconds)
    }

    /// The instant in seconds, e.g. `1.5 s`.
    public var description: String { "\(seconds) s" }
}

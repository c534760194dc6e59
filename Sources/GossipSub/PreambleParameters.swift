/// How a router uses the PREAMBLE / IMRECEIVING extension with peers that both advertise it
/// (``ControlExtensions/preamble``). Defaults follow nim-libp2p where it has one, except the size
/// threshold: nim's 40 KiB would leave out Aztec's 40 KB transactions.
public struct PreambleParameters: Hashable, Sendable {
    /// Messages with at least this many bytes of data are announced before their bodies.
    public var messageSizeThreshold = 16 * 1024
    /// The transfer rate assumed for the announcer when estimating how long a body takes.
    public var assumedBytesPerSecond = 2_500_000
    /// Added to the estimate: a body announced at `t` is expected by `t + length / rate + margin`.
    /// Until then the receiver asks nobody else for the message (no IWANT for it).
    public var receiveMargin: Duration = .milliseconds(250)
    /// Announced bodies one peer may have on their way to us at once; further preambles from it
    /// are ignored (the message then travels as without the extension).
    public var maxOngoingPerPeer = 10
    /// Messages one peer may have said it is receiving, remembered at once (the oldest go first).
    public var maxIMReceivingPerPeer = 50
    /// A peer that said IMRECEIVING but sent no IDONTWANT for the message this long after is sent
    /// the message at the next heartbeat after all (its sender may have failed it).
    public var sendAnywayAfter: Duration = .seconds(1)
    /// Whether an announcer whose body did not arrive in time is penalised (P₇). Off by default:
    /// an honest peer behind a congested link misses deadlines too (the network simulator's slow
    /// nodes broke IWANT promises the same way until forwards could expire).
    public var penaliseLateBodies = false

    /// The defaults shown on each property.
    public init() {}

    /// When an announced body of `length` bytes, announced at `now`, is overdue.
    func deadline(length: UInt32, now: Duration) -> Duration {
        now + .seconds(Double(length) / Double(assumedBytesPerSecond)) + receiveMargin
    }
}

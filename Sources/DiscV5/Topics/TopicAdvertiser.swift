import ENR

/// Where and when to place advertisements of one topic (discv5 theory, "Advertiser
/// Behaviour"), as a plan without I/O: up to `K_register` registrations, pending or placed, per
/// bucket of the advertise table `B(s)`, filled from the furthest bucket inwards; retries with
/// the latest ticket when the registrar's wait is over; renewal shortly before a placed
/// advertisement expires; a registrar that fails is dropped and excluded for a while.
///
/// The caller sends what ``due(now:using:)`` returns as REGTOPIC and reports each answer with
/// ``confirmed(by:_:now:)`` or ``failed(_:now:)``; ``nextDeadline`` says when to call again.
public struct TopicAdvertiser: Sendable {
    /// The advertiser's parameters; `registrationsPerBucket` is the spec's `K_register`.
    public struct Settings: Sendable, Equatable {
        /// `K_register`: registrations, pending or placed, per bucket of `B(s)`.
        public var registrationsPerBucket = 5
        /// Records kept per bucket of `B(s)`.
        public var bucketCapacity = 16
        /// A placed advertisement is renewed this long before it expires (at most a quarter of
        /// its lifetime before).
        public var renewalLead: Duration = .seconds(60)
        /// A registrar that failed (no answer, no confirmation, a wait beyond `maximumWait`,
        /// more than `maximumTickets`, a lifetime under `minimumLifetime`) is not chosen again
        /// for this long.
        public var exclusion: Duration = .seconds(10 * 60)
        /// A single wait longer than this is treated as a refusal (the spec: a single wait
        /// should not exceed `E`, 15 minutes by default; this allows registrars a longer `E`).
        /// Lifetimes beyond it are taken as this long.
        public var maximumWait: Duration = .seconds(30 * 60)
        /// Tickets one registration accepts before it gives that registrar up (a registrar
        /// that never admits must not hold a slot for ever).
        public var maximumTickets = 8
        /// An admitted lifetime shorter than this is treated as a refusal.
        public var minimumLifetime: Duration = .seconds(1)
        /// How often the table is refreshed and short buckets are filled again.
        public var placementInterval: Duration = .seconds(30)
        /// The defaults, as given on each property.
        public init() {}

        /// Problems with the values, none when they are usable.
        public var problems: [String] {
            var problems: [String] = []
            if registrationsPerBucket < 1 || bucketCapacity < 1 { problems.append("registrationsPerBucket and bucketCapacity must be positive") }
            if renewalLead < .zero || exclusion < .zero { problems.append("renewalLead and exclusion must not be negative") }
            if maximumWait <= .zero || minimumLifetime <= .zero || placementInterval <= .zero {
                problems.append("maximumWait, minimumLifetime and placementInterval must be positive")
            }
            if maximumTickets < 1 { problems.append("maximumTickets must be positive") }
            return problems
        }
    }

    /// One REGTOPIC to send: to `registrar`, with `ticket` (empty on a first attempt or renewal).
    public struct Attempt: Sendable, Equatable {
        /// The registrar to send REGTOPIC to.
        public var registrar: NodeRecord
        /// The ticket to present: the registrar's latest for this advertisement, or empty.
        public var ticket: [UInt8]
    }

    /// How the registrations stand, for metrics and tests.
    public struct Status: Sendable, Equatable {
        /// Registrars holding an advertisement now.
        public var placed = 0
        /// Registrations waiting for an answer or for their ticket's time.
        public var pending = 0
        /// Advertisements admitted so far (renewals included).
        public var admissions = 0
        /// Registrations that failed so far.
        public var failures = 0
    }

    private enum Step: Sendable, Equatable {
        case idle
        case inFlight
        case waiting(ticket: [UInt8], until: Duration)
    }

    private struct Registration: Sendable {
        var record: NodeRecord
        var distance: Int
        var step: Step
        /// When the advertisement placed at this registrar expires, if one is, and when to renew it.
        var placedUntil: Duration?
        var renewAt: Duration = .zero
        /// Tickets received since the last admission.
        var tickets = 0
    }

    /// The topic advertised.
    public let topic: TopicID
    /// The advertiser's parameters.
    public let settings: Settings
    /// The advertise table `B(s)`: candidate registrars by log distance to the topic.
    public private(set) var table: ServiceTable
    private var registrations: [NodeID: Registration] = [:]
    private var excluded: [NodeID: Duration] = [:]
    private var nextPlacement: Duration = .zero
    private var admissions = 0
    private var failures = 0

    /// An advertiser for `topic` of the node `localID`.
    public init(topic: TopicID, localID: NodeID, settings: Settings = Settings()) {
        self.topic = topic
        self.settings = settings
        self.table = ServiceTable(topic: topic, localID: localID, bucketCapacity: settings.bucketCapacity)
    }

    /// Adds registrar candidates to `B(s)` (incapable, excluded and known ones are ignored).
    public mutating func learn(_ records: some Sequence<NodeRecord>, now: Duration) {
        learn(identified: records.lazy.map { IdentifiedRecord(record: $0, nodeID: $0.discoveryNodeID) }, now: now)
    }

    /// ``learn(_:now:)`` of records whose node ids are known (table entries).
    mutating func learn(identified entries: some Sequence<IdentifiedRecord>, now: Duration) {
        for entry in entries where !isExcluded(entry.nodeID, now: now) { table.insert(entry) }
    }

    /// Whether the periodic refresh is due (the caller then offers its routing table to
    /// ``learn(_:now:)`` before ``due(now:using:)``).
    public func wantsCandidates(now: Duration) -> Bool { now >= nextPlacement }

    /// The REGTOPIC attempts to make now: retries whose wait is over, renewals, and new
    /// registrations for buckets short of `K_register`, furthest bucket first.
    public mutating func due(now: Duration, using random: inout some RandomNumberGenerator) -> [Attempt] {
        var attempts: [Attempt] = []
        for nodeID in registrations.keys.sorted(by: { $0.bytes.lexicographicallyPrecedes($1.bytes) }) {
            guard var registration = registrations[nodeID] else { continue }
            if let placed = registration.placedUntil, placed <= now { registration.placedUntil = nil }
            switch registration.step {
            case .waiting(let ticket, let until) where until <= now:
                registration.step = .inFlight
                attempts.append(Attempt(registrar: registration.record, ticket: ticket))
            case .idle where registration.placedUntil == nil || registration.renewAt <= now:
                registration.step = .inFlight
                attempts.append(Attempt(registrar: registration.record, ticket: []))
            default:
                break
            }
            registrations[nodeID] = registration
        }
        if now >= nextPlacement {
            nextPlacement = now + settings.placementInterval
            excluded = excluded.filter { $0.value > now }
        }
        var perBucket: [Int: Int] = [:]
        for registration in registrations.values { perBucket[registration.distance, default: 0] += 1 }
        for distance in table.distancesFurthestFirst where perBucket[distance, default: 0] < settings.registrationsPerBucket {
            var candidates = table.entries(atDistance: distance).filter {
                registrations[$0.nodeID] == nil && !isExcluded($0.nodeID, now: now)
            }
            candidates.shuffle(using: &random)
            for candidate in candidates.prefix(settings.registrationsPerBucket - perBucket[distance, default: 0]) {
                registrations[candidate.nodeID] = Registration(record: candidate.record, distance: distance, step: .inFlight)
                attempts.append(Attempt(registrar: candidate.record, ticket: []))
            }
        }
        return attempts
    }

    /// `registrar` answered an attempt: admitted (for the lifetime given) or a ticket to retry with.
    public mutating func confirmed(by registrar: NodeID, _ confirmation: RegisterConfirmation, now: Duration) {
        guard var registration = registrations[registrar], registration.step == .inFlight else { return }
        // Waits and lifetimes are bounded here: the registrar may be hostile.
        let wait = Duration.milliseconds(Int64(clamping: min(confirmation.waitTime, 1 << 40)))
        if confirmation.isAdmitted {
            guard wait >= settings.minimumLifetime else { return failed(registrar, now: now) }
            let lifetime = min(wait, settings.maximumWait)
            admissions += 1
            registration.placedUntil = now + lifetime
            registration.renewAt = now + lifetime - min(settings.renewalLead, lifetime / 4)
            registration.tickets = 0
            registration.step = .idle
        } else {
            registration.tickets += 1
            guard wait <= settings.maximumWait, registration.tickets <= settings.maximumTickets else { return failed(registrar, now: now) }
            registration.step = .waiting(ticket: confirmation.ticket, until: now + wait)
        }
        registrations[registrar] = registration
    }

    /// An attempt at `registrar` failed: the registration is dropped and the registrar excluded
    /// for ``Settings/exclusion``; its bucket is filled from another candidate.
    public mutating func failed(_ registrar: NodeID, now: Duration) {
        guard registrations.removeValue(forKey: registrar) != nil else { return }
        failures += 1
        excluded[registrar] = now + settings.exclusion
        table.remove(registrar)
    }

    /// The earliest time ``due(now:using:)`` has work: a ticket's time, a renewal, or the periodic refresh.
    public var nextDeadline: Duration {
        var deadline = nextPlacement
        for registration in registrations.values {
            switch registration.step {
            case .waiting(_, let until): deadline = min(deadline, until)
            case .idle: deadline = min(deadline, registration.placedUntil == nil ? .zero : registration.renewAt)
            case .inFlight: break
            }
        }
        return deadline
    }

    /// The topic-distance hints for a request: buckets of `B(s)` with room.
    public func wantedDistances() -> [UInt16] {
        table.distancesWithRoom(wanted: settings.registrationsPerBucket, limit: TopicDiscovery.maximumHints)
    }

    /// How the registrations stand at `now`.
    public func status(now: Duration) -> Status {
        var status = Status(admissions: admissions, failures: failures)
        for registration in registrations.values {
            if let placed = registration.placedUntil, placed > now { status.placed += 1 }
            if registration.step != .idle { status.pending += 1 }
        }
        return status
    }

    /// The local record changed (its address, most often): registrars that failed may have
    /// refused the old one, so none stays excluded, and the table is refreshed at the next call.
    public mutating func localRecordChanged() {
        excluded = [:]
        nextPlacement = .zero
    }

    private func isExcluded(_ nodeID: NodeID, now: Duration) -> Bool { excluded[nodeID].map { $0 > now } ?? false }
}

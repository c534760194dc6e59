/// Which peers a node dials, and when it asks discovery for more: the node's connection policy as
/// a sans-IO core, shared by `AztecNode` and the network simulator.
///
/// Every ``plan(connected:outbound:meshShortfall:staticPeers:candidates:replaceable:now:)`` (the node calls it once a dial
/// interval) fills the gap between the connections it has (inbound ones count) plus the dials under
/// way and the target, from the candidates in the order given, and dials however many inbound peers
/// it has while fewer than ``PeerDialSettings/minimumOutboundPeers`` are its own. A node whose mesh on the topic has
/// been short of D_low for ``PeerDialSettings/meshTopUpDelay`` although it has its connections (its
/// peers' meshes were full and pruned it) dials one more peer per missing mesh peer, at most
/// ``PeerDialSettings/meshTopUp`` beyond the target; once that room is used up and the mesh is
/// still short, it drops one connection whose peer keeps it out of the mesh with a PRUNE backoff
/// (the caller names them, e.g. from `GossipSubRouter.backedOffSubscribers(_:now:)`) to dial
/// a fresh peer instead, at most once per ``PeerDialSettings/meshTopUpDelay``. Without that, a
/// node whose connections are all its own dials is a newcomer in every peer's mesh, the first
/// evicted when those meshes overflow, and can end with every peer backing it off for a minute
/// and a mesh of one. A peer whose dial failed waits
/// ``PeerDialSettings/dialBackoff``, doubled for each further failure in a row up to
/// ``PeerDialSettings/maximumDialBackoff`` (records that name hosts which never accept, as a
/// discovery flood's identities can, cost a dial each only now and then); of two peers that discover each other at once, the one that does not
/// dial first waits ``PeerDialSettings/simultaneousDialGrace`` after first seeing the other, so usually
/// one connection is made, not two. While connections are missing and no lookup runs, a lookup
/// is asked for at most once per ``PeerDialSettings/lookupInterval``.
///
/// State is bounded: first sightings are kept only for the current candidates, failed dials for
/// twice their backoff (then their count of failures is forgotten), and dials under way are at
/// most the target.
public struct PeerDialPlanner<Peer: Hashable & Sendable>: Sendable {
    /// A peer the node may dial: not connected, not banned, not itself.
    public struct Candidate: Sendable {
        /// The peer to dial.
        public var peer: Peer
        /// Whether this node dials first when both discover each other (by the libp2p order of
        /// peer ids); `false` for a static peer is never needed: static peers are dialed at once.
        public var dialsFirst: Bool

        /// A candidate; see ``dialsFirst``.
        public init(peer: Peer, dialsFirst: Bool) {
            self.peer = peer
            self.dialsFirst = dialsFirst
        }
    }

    /// What to do now.
    public struct Plan: Sendable {
        /// Peers to dial; each must later be reported with ``dialFinished(_:connected:now:)``.
        public var dials: [Peer] = []
        /// Start a random lookup; report its end with ``lookupFinished()``.
        public var startLookup = false
        /// Connections to close (peers keeping this node out of a short mesh); a dropped peer
        /// waits like a failed dial before it is dialed again.
        public var disconnects: [Peer] = []
    }

    /// The targets and timings the planner applies.
    public let settings: PeerDialSettings
    private var dialing: Set<Peer> = []
    /// Peers whose last dials failed: when the last one did, and how many in a row.
    private var failedDials: [Peer: (at: Duration, failures: Int)] = [:]
    private var firstSeen: [Peer: Duration] = [:]
    private var lastLookup: Duration?
    private var lookupRunning = false
    /// Whether a lookup this planner asked for has finished (its target is random, so it fills far
    /// buckets): until then ``orderedCandidates(table:distance:beyondTable:using:eligible:)``
    /// offers no near peers.
    public private(set) var hasExploredTheNetwork = false
    /// Since when the node has had its connections but a mesh short of D_low.
    private var meshShortSince: Duration?
    /// When the planner last dropped a connection to make room for a mesh peer.
    private var lastRotation: Duration?

    /// A planner with no dials, failures or lookups yet.
    public init(settings: PeerDialSettings) {
        self.settings = settings
    }

    /// Dials under way.
    public var dialsInProgress: Int { dialing.count }

    /// Connections missing to the target, or to the minimum of outbound ones (when `outbound`,
    /// the connections this node dialed, is given), counting dials under way as made.
    public func missing(connected: Int, outbound: Int? = nil) -> Int {
        let toTarget = settings.targetPeerCount - connected - dialing.count
        guard let outbound else { return toTarget }
        return max(toTarget, settings.minimumOutboundPeers - outbound - dialing.count)
    }

    /// Whether a plan now could dial: connections are missing, or the mesh has been short long
    /// enough for the top-up. Either way the planner notes the mesh's state (a whole mesh, or
    /// connections below the target, restart the top-up delay), so a caller may skip gathering
    /// candidates when this is false; call it once a dial interval, as ``plan(connected:outbound:meshShortfall:staticPeers:candidates:replaceable:now:)``.
    /// `replaceable` counts the connections ``plan(connected:outbound:meshShortfall:staticPeers:candidates:replaceable:now:)``
    /// could drop for the mesh's sake.
    public mutating func wantsCandidates(connected: Int, outbound: Int? = nil, meshShortfall: Int = 0, replaceable: Int = 0,
                                         now: Duration) -> Bool {
        dialsWanted(connected: connected, outbound: outbound, meshShortfall: meshShortfall, now: now) > 0
            || (replaceable > 0 && rotationDue(connected: connected, now: now))
    }

    /// Whether the top-up applies with its room used up, and no connection was dropped for the
    /// mesh during the last ``PeerDialSettings/meshTopUpDelay``.
    private func rotationDue(connected: Int, now: Duration) -> Bool {
        guard let since = meshShortSince, now - since >= settings.meshTopUpDelay,
              connected + dialing.count >= settings.targetPeerCount + settings.meshTopUp else { return false }
        return lastRotation.map { now - $0 >= settings.meshTopUpDelay } ?? true
    }

    /// Dials to make now: the connections missing, or while the mesh top-up applies, its dials
    /// as far as ``PeerDialSettings/meshTopUp`` beyond the target allows (inbound connections above
    /// the target take from that room; they do not cancel the top-up).
    private mutating func dialsWanted(connected: Int, outbound: Int?, meshShortfall: Int, now: Duration) -> Int {
        let missing = missing(connected: connected, outbound: outbound)
        let topUp = topUp(connected: connected, meshShortfall: meshShortfall, now: now)
        guard topUp > 0 else { return missing }
        return max(missing, min(topUp, settings.targetPeerCount + settings.meshTopUp - connected - dialing.count))
    }

    /// The connections to add for a mesh short of D_low by `meshShortfall` (tracked across calls).
    private mutating func topUp(connected: Int, meshShortfall: Int, now: Duration) -> Int {
        guard meshShortfall > 0, connected >= settings.targetPeerCount else {
            meshShortSince = nil
            return 0
        }
        let since = meshShortSince ?? now
        meshShortSince = since
        return now - since >= settings.meshTopUpDelay ? min(meshShortfall, settings.meshTopUp) : 0
    }

    /// Plans dials from `candidates` (static peers first, then discovered ones) for a node with
    /// `connected` connections.
    /// - Parameters:
    ///   - connected: the node's connections now.
    ///   - outbound: of those, the ones this node dialed (``PeerDialSettings/minimumOutboundPeers``
    ///     applies when given).
    ///   - meshShortfall: mesh peers the node lacks to D_low on its topic (0 when it has them).
    ///   - staticPeers: dialed without the simultaneous-dial grace.
    ///   - candidates: the peers it may dial, in the order to try them.
    ///   - replaceable: connected peers that keep this node out of the mesh for now (a PRUNE
    ///     backoff runs), the first to drop first; one goes when the top-up has no room left.
    ///   - now: the planner's clock.
    public mutating func plan(connected: Int, outbound: Int? = nil, meshShortfall: Int = 0, staticPeers: [Peer] = [],
                              candidates: [Candidate], replaceable: [Peer] = [], now: Duration) -> Plan {
        var plan = Plan()
        var missing = dialsWanted(connected: connected, outbound: outbound, meshShortfall: meshShortfall, now: now)
        if missing == 0, let dropped = replaceable.first, rotationDue(connected: connected, now: now),
           candidates.contains(where: { !dialing.contains($0.peer) && !isBackingOff($0.peer, now: now) }) {
            // The replacement is dialed at the next plan, within the top-up's room.
            lastRotation = now
            failedDials[dropped] = (now, 1)
            plan.disconnects = [dropped]
            return plan
        }
        guard missing > 0 else { return plan }
        failedDials = failedDials.filter { now - $0.value.at < backoff(after: $0.value.failures) * 2 }
        var stillSeen: [Peer: Duration] = [:]
        var ordered: [Peer] = staticPeers
        for candidate in candidates {
            let seen = firstSeen[candidate.peer] ?? now
            stillSeen[candidate.peer] = seen
            if !candidate.dialsFirst, now - seen < settings.simultaneousDialGrace { continue }
            ordered.append(candidate.peer)
        }
        firstSeen = stillSeen
        for peer in ordered where missing > 0 && !dialing.contains(peer) && !isBackingOff(peer, now: now) {
            missing -= 1
            dialing.insert(peer)
            plan.dials.append(peer)
        }
        if missing > 0, !lookupRunning, lastLookup.map({ now - $0 >= settings.lookupInterval }) ?? true {
            lookupRunning = true
            lastLookup = now
            plan.startLookup = true
        }
        return plan
    }

    /// A dial planned earlier ended; a failed one starts the peer's backoff.
    public mutating func dialFinished(_ peer: Peer, connected: Bool, now: Duration) {
        guard dialing.remove(peer) != nil else { return }
        failedDials[peer] = connected ? nil : (now, (failedDials[peer]?.failures ?? 0) + 1)
    }

    /// The wait after `failures` failed dials in a row.
    public func backoff(after failures: Int) -> Duration {
        var wait = settings.dialBackoff
        for _ in 1..<max(failures, 1) where wait < settings.maximumDialBackoff { wait *= 2 }
        return min(wait, settings.maximumDialBackoff)
    }

    private func isBackingOff(_ peer: Peer, now: Duration) -> Bool {
        guard let failed = failedDials[peer] else { return false }
        return now - failed.at < backoff(after: failed.failures)
    }

    /// The lookup planned earlier ended.
    public mutating func lookupFinished() {
        lookupRunning = false
        hasExploredTheNetwork = true
    }
}

/// The node's connection targets and timings (defaults: the Aztec node's).
public struct PeerDialSettings: Hashable, Sendable {
    /// Connections the node dials up to.
    public var targetPeerCount: Int
    /// How often the node plans (calls ``PeerDialPlanner/plan(connected:outbound:meshShortfall:staticPeers:candidates:replaceable:now:)``).
    public var dialInterval: Duration
    /// The least time between two lookups.
    public var lookupInterval: Duration
    /// A peer whose dial failed is not dialed again before this; each further failure in a row
    /// doubles it, up to ``maximumDialBackoff``.
    public var dialBackoff: Duration
    /// The longest a failed peer waits however many dials in a row failed; never below ``dialBackoff``.
    public var maximumDialBackoff: Duration
    /// How long the peer that does not dial first waits before dialing.
    public var simultaneousDialGrace: Duration
    /// Connections beyond the target a node dials while its mesh is short of D_low, one per
    /// missing mesh peer.
    public var meshTopUp: Int
    /// How long the mesh must have been short, with the target's connections made, before the
    /// node dials beyond the target (a new connection joins the mesh at the next heartbeat).
    public var meshTopUpDelay: Duration
    /// Connections the node keeps of its own dialing, however many peers dialed it: peers that
    /// connect to a node all at once (sybils going for it as it starts) would otherwise fill its
    /// target and leave it no peer it chose. GossipSub keeps D_out of these in the mesh.
    public var minimumOutboundPeers: Int

    /// Settings with the Aztec node's defaults: 8 peers, plans every second, a lookup at most every
    /// 10 s, a 30 s backoff doubling up to 8 minutes, a 2 s simultaneous-dial grace, up to 4 extra
    /// peers for a mesh short for 10 s, and 4 outbound connections kept.
    public init(targetPeerCount: Int = 8, dialInterval: Duration = .seconds(1), lookupInterval: Duration = .seconds(10),
                dialBackoff: Duration = .seconds(30), simultaneousDialGrace: Duration = .seconds(2), meshTopUp: Int = 4,
                meshTopUpDelay: Duration = .seconds(10), minimumOutboundPeers: Int = 4, maximumDialBackoff: Duration = .seconds(480)) {
        self.targetPeerCount = targetPeerCount
        self.dialInterval = dialInterval
        self.lookupInterval = lookupInterval
        self.dialBackoff = dialBackoff
        self.maximumDialBackoff = max(maximumDialBackoff, dialBackoff)
        self.simultaneousDialGrace = simultaneousDialGrace
        self.meshTopUp = meshTopUp
        self.meshTopUpDelay = meshTopUpDelay
        self.minimumOutboundPeers = minimumOutboundPeers
    }
}

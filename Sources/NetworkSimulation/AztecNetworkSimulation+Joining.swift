import AztecP2P
import DiscV5
import ENR
import GossipSub
import P2PCrypto

/// Joining: identities, discovery datagrams and timers, the dial policy and connections.
extension AztecNetworkSimulation {
    func makeIdentity(_ index: Int) throws(SimulationError) {
        // A node given a new address keeps its key (``moveToSharedSubnets(_:subnets:)``).
        let key = index < keys.count ? keys[index] : Secp256k1.PrivateKey.generate(using: &rng)
        var builder = NodeRecordBuilder(sequenceNumber: 1)
        do { try builder.setIP(ip(of: index)) } catch { throw SimulationError("address: \(error)") }
        builder.setUDP(SimulatedAddressing.udpPort)
        builder.setTCP(SimulatedAddressing.tcpPort)
        if nodes[index].role == .aztec || nodes[index].role == .bootnode || nodes[index].isTopicSybil
            || nodes[index].role == .flooder && scenario.flood?.claimAztec != false {
            builder.setAztecChainID(1)
        }
        builder.setEthereumChainID(1)
        if scenario.topics != nil { builder.setTopicDiscoveryVersion(TopicDiscovery.version) }
        let record: NodeRecord
        do { record = try builder.signed(with: key) } catch { throw SimulationError("record: \(error)") }
        if keys.count == index {
            keys.append(key)
            records.append(record)
            peerIDBytes.append(record.peerID.multihashBytes)
        } else {
            records[index] = record
            peerIDBytes[index] = record.peerID.multihashBytes
        }
        indexByNodeID[record.discoveryNodeID] = Int32(index)
    }

    // MARK: Addresses

    func ip(of index: Int) -> [UInt8] {
        sharedAddresses.isEmpty ? SimulatedAddressing.ip(of: index) : sharedAddresses[Int32(index)] ?? SimulatedAddressing.ip(of: index)
    }

    func endpoint(of index: Int) -> Endpoint { Endpoint(ip: ip(of: index), port: SimulatedAddressing.udpPort) }

    /// The node at `endpoint`, or `nil` for an address no simulated node has.
    func node(at endpoint: Endpoint) -> Int? {
        guard endpoint.ip.first == SimulatedAddressing.sharedSubnetPrefix else { return SimulatedAddressing.node(at: endpoint) }
        guard endpoint.port == SimulatedAddressing.udpPort else { return nil }
        return nodesBySharedAddress[endpoint.ip].map(Int.init)
    }

    /// Gives `members` addresses in `subnets` shared /24s, in turn, and signs their records anew
    /// (same keys, so the same node ids).
    func moveToSharedSubnets(_ members: [Int], subnets: Int) throws(SimulationError) {
        for (position, index) in members.enumerated() {
            let address = SimulatedAddressing.sharedIP(subnet: position % subnets, host: 1 + position / subnets)
            sharedAddresses[Int32(index)] = address
            nodesBySharedAddress[address] = Int32(index)
            if index < keys.count { try makeIdentity(index) }
        }
    }

    // MARK: Discovery

    func applyDiscovery(_ index: Int, _ actions: [DiscoveryAction]) {
        if scenario.flood != nil, nodes[index].role == .flooder { noteFloodAnswers(actions) }
        for action in actions {
            switch action {
            case .send(let packet, let endpoint):
                nodes[index].discoveryPacketsSent += 1
                guard let to = node(at: endpoint), to < nodes.count else {
                    if scenario.flood != nil, nodes[index].role == .bootnode { flood.packetsToForgedSources += 1 }
                    continue
                }
                if eclipseThroughDiscovery, sybilsIgnore(index, to) { continue }
                let oneWay = latency(index, to)
                let arrives = links.send(bytes: packet.count, from: index, to: to, latency: oneWay, ordered: false, now: now)
                // Lost datagrams still took the sender's uplink.
                guard uniform() >= scenario.network.datagramLoss else { continue }
                queue.push(.datagramArrives(from: Int32(index), to: Int32(to), packet: packet), at: arrives)
            case .lookupFinished(let id, let records):
                if nodes[index].lookup == id {
                    nodes[index].lookup = nil
                    nodes[index].planner.lookupFinished()
                } else if pendingLookups.remove(LookupKey(node: Int32(index), id: id)) != nil {
                    finishedLookups[LookupKey(node: Int32(index), id: id)] = records
                }
            case .topicSearchFinished(let id, let records) where nodes[index].topicSearch == id:
                topicSearchFinished(index, records)
            case .topicSearchFinished(let id, let records):
                if pendingLookups.remove(LookupKey(node: Int32(index), id: id)) != nil {
                    finishedLookups[LookupKey(node: Int32(index), id: id)] = records
                }
            default:
                break
            }
        }
        scheduleDiscoveryTimer(index)
    }

    func scheduleDiscoveryTimer(_ index: Int) {
        guard let deadline = nodes[index].discoveryNextDeadline,
              let time = timerTime(for: deadline, scheduled: &nodes[index].discoveryDeadline) else { return }
        queue.push(.discoveryTimer(Int32(index)), at: time)
    }

    /// When a core's timer for `deadline` must fire (never in the past), or nil when the timer
    /// already `scheduled` fires no later; `scheduled` becomes the new time.
    func timerTime(for deadline: Duration, scheduled: inout SimulatedInstant?) -> SimulatedInstant? {
        let time = max(SimulatedInstant(deadline), now)
        if let scheduled, scheduled <= time, scheduled >= now { return nil }
        scheduled = time
        return time
    }

    func discoveryTimer(_ index: Int) {
        guard nodes[index].alive, nodes[index].discoveryDeadline == now, nodes[index].discovery != nil else { return }
        nodes[index].discoveryDeadline = nil
        let actions = nodes[index].discovery!.handleTimeout(now: now.sinceStart, using: &rng)
        applyDiscovery(index, actions)
    }

    func datagram(_ packet: [UInt8], from: Int, to index: Int) {
        guard nodes[index].alive, nodes[index].discovery != nil else { return }
        let actions = nodes[index].discovery!.handlePacket(packet, from: endpoint(of: from), now: now.sinceStart,
                                                            using: &rng)
        applyDiscovery(index, actions)
        if scenario.flood != nil, nodes[index].role == .bootnode { noteBootnodePeaks(index) }
    }

    // MARK: Dialing

    /// The node's dial check (every dial interval): the planner picks from discovery's table.
    func dialTick(_ index: Int) {
        guard nodes[index].alive else { return }
        queue.push(.dialTick(Int32(index)), at: now + SimulatedInstant(dialSettings.dialInterval))
        enforceBans(index)
        let connected = nodes[index].connections.count
        let outbound = connected - nodes[index].inboundCount
        let meshShortfall = nodes[index].hasRouter ? meshLow - nodes[index].meshDegree : 0
        let t = now.sinceStart
        let replaceable = meshShortfall > 0 ? nodes[index].readRouter { $0.backedOffSubscribers(Self.topic, now: t) }.map { Int32($0.index) } : []
        guard nodes[index].discovery != nil,
              nodes[index].planner.wantsCandidates(connected: connected, outbound: outbound, meshShortfall: meshShortfall,
                                                   replaceable: replaceable.count, now: t)
        else { return }
        let local = nodes[index].discovery!.localID
        let candidates = nodes[index].planner.orderedCandidates(
            table: nodes[index].discovery!.table.allEntries, distance: { $0.nodeID.logDistance(to: local) },
            beyondTable: { nodes[index].topicPeers + nodes[index].discovery!.lookupPeers }, using: &rng
        ) { dialCandidate(index, $0) }
        let plan = nodes[index].planner.plan(connected: connected, outbound: outbound, meshShortfall: meshShortfall, candidates: candidates,
                                             replaceable: replaceable, now: t)
        for peer in plan.disconnects {
            meshRotations += 1
            trace.mix(0x707A7E << 40 | UInt64(index) << 20 | UInt64(peer))
            disconnect(index, from: Int(peer))
            queue.push(.peerGone(node: peer, peer: Int32(index)), at: now + latency(index, Int(peer)))
        }
        for peer in plan.dials {
            if index == eclipseVictim {
                victimDials += 1
                if nodes[Int(peer)].isAttacker { victimSybilDials += 1 }
            }
            let sent = now
            queue.push(.dialArrives(from: Int32(index), to: peer, sent: sent), at: now + latency(index, Int(peer)))
        }
        if plan.startLookup, scenario.topics?.search == true, nodes[index].topicSearch == nil {
            startTopicSearch(index)
        }
        if plan.startLookup {
            guard let id = NodeID(bytes: SyntheticTransactions.randomBytes(32, &rng)), nodes[index].discovery != nil else {
                nodes[index].planner.lookupFinished()
                return
            }
            let (lookup, actions) = nodes[index].discovery!.lookup(id, now: now.sinceStart, using: &rng)
            if let lookup { nodes[index].lookup = lookup } else { nodes[index].planner.lookupFinished() }
            applyDiscovery(index, actions)
        }
    }

    /// Node `index`'s candidate for a discovered `entry`, unless it is itself, connected, refused by
    /// the filter or banned.
    func dialCandidate(_ index: Int, _ entry: TableEntry) -> PeerDialPlanner<Int32>.Candidate? {
        guard let peer = indexByNodeID[entry.nodeID], Int(peer) != index, nodes[index].connections[peer] == nil,
              discoveryConfig.filter.admits(entry.record), !nodes[index].bans.isBanned(peer, now: now.sinceStart)
        else { return nil }
        return .init(peer: peer, dialsFirst: !peerIDBytes[Int(peer)].lexicographicallyPrecedes(peerIDBytes[index]))
    }

    /// A dial's first packet reaches its target: it is gone (the dial times out), full (refused
    /// after a round trip) or accepts (the connection is up after the set-up round trips).
    func dialArrives(from: Int, to: Int, sent: SimulatedInstant) {
        let join = scenario.join
        guard nodes[to].alive, nodes[to].role == .aztec else {
            queue.push(.dialFailed(from: Int32(from), to: Int32(to)), at: sent + .seconds(join.dialTimeoutSeconds))
            return
        }
        let oneWay = now - sent
        guard nodes[to].inboundCount < maximumInboundPeers[nodes[to].bandwidthClass],
              !nodes[to].bans.isBanned(Int32(from), now: now.sinceStart) else {
            queue.push(.dialFailed(from: Int32(from), to: Int32(to)), at: now + oneWay)
            return
        }
        let setup = SimulatedInstant(nanoseconds: Int64(Double(oneWay.nanoseconds) * 2 * join.connectionSetupRoundTrips))
        queue.push(.connectionUp(from: Int32(from), to: Int32(to)), at: sent + setup)
    }

    /// Both ends have the connection: GossipSub learns the peer on each side.
    func connectionUp(from: Int, to: Int) {
        guard nodes[from].alive, nodes[to].alive else {
            if nodes[from].alive { dialFinished(from, peer: to, connected: false) }
            return
        }
        if nodes[from].connections[Int32(to)] == nil {
            guard nodes[to].inboundCount < maximumInboundPeers[nodes[to].bandwidthClass] else {
                dialFinished(from, peer: to, connected: false)
                return
            }
            connect(from, to)
        }
        dialFinished(from, peer: to, connected: true)
    }

    func dialFinished(_ index: Int, peer: Int, connected: Bool) {
        guard nodes[index].alive else { return }
        nodes[index].planner.dialFinished(Int32(peer), connected: connected, now: now.sinceStart)
    }

    /// Opens a connection dialed by `dialer` at both ends.
    func connect(_ dialer: Int, _ listener: Int) {
        trace.mix(0xC0 << 56 | UInt64(dialer) << 24 | UInt64(listener))
        if watches(dialer, listener) { noteWatched("connected: \(dialer) dialed \(listener)") }
        nodes[dialer].connections[Int32(listener)] = true
        nodes[listener].connections[Int32(dialer)] = false
        nodes[listener].inboundCount += 1
        for node in [dialer, listener] where nodes[node].joinedAt == nil && nodes[node].connections.count >= scenario.join.targetPeers {
            nodes[node].joinedAt = now
            nodes[node].packetsWhenJoined = nodes[node].discoveryPacketsSent
        }
        for (node, peer, outbound) in [(dialer, listener, true), (listener, dialer, false)] {
            guard nodes[node].hasRouter else { continue }
            let negotiated = min(nodes[dialer].gossipProtocol, nodes[listener].gossipProtocol)
            let actions = nodes[node].router!.peerConnected(IndexedPeer(peer), protocol: negotiated, outbound: outbound,
                                                            now: now.sinceStart)
            // As the GossipSub host does (P6); shared addresses only for sybils placed in a /24.
            nodes[node].router!.setPeerIPs(IndexedPeer(peer), [ip(of: peer).map(String.init).joined(separator: ".")])
            // As a host learns it from its pings: the regions' round trip, without jitter.
            let roundTrip = scenario.network.regions.roundTripMilliseconds[nodes[node].region][nodes[peer].region]
            nodes[node].router!.roundTripMeasured(.milliseconds(roundTrip), to: IndexedPeer(peer))
            apply(node, actions)
        }
        if listener == eclipseVictim, nodes[dialer].isAttacker { graftVictim(from: dialer) }
    }

    /// `node` learns that its connection to `peer` closed.
    func disconnect(_ node: Int, from peer: Int) {
        guard nodes[node].alive, let outbound = nodes[node].connections.removeValue(forKey: Int32(peer)) else { return }
        if watches(node, peer) { noteWatched("disconnected: \(node) from \(peer)") }
        if !outbound { nodes[node].inboundCount -= 1 }
        nodes[node].links[Int32(peer)] = nil
        guard nodes[node].hasRouter else { return }
        let actions = nodes[node].router!.peerDisconnected(IndexedPeer(peer), now: now.sinceStart)
        apply(node, actions)
    }

    /// `static` join mode: each node dials `dialsPerNode` distinct random others at time zero.
    func connectStatically() {
        var linked = Set<UInt64>()
        let n = scenario.nodes
        for node in 0..<n {
            var dialed = 0, attempts = 0
            while dialed < scenario.join.dialsPerNode, attempts < scenario.join.dialsPerNode * 20 {
                attempts += 1
                let other = Int(rng.next() % UInt64(n))
                let key = UInt64(min(node, other)) << 32 | UInt64(max(node, other))
                guard other != node, linked.insert(key).inserted else { continue }
                dialed += 1
                connect(node, other)
            }
        }
    }

    // MARK: Churn

    func replacementInterval(_ churn: ChurnSettings) -> SimulatedInstant {
        .seconds(60 / (churn.replacedPerMinute * Double(scenario.nodes)))
    }

    func killShare() {
        guard let churn = scenario.churn else { return }
        killedAt = now
        var running = nodes.indices.filter { nodes[$0].alive && nodes[$0].role == .aztec }
        let count = Int((Double(running.count) * churn.killShare).rounded())
        for i in 0..<count {
            let j = i + Int(rng.next() % UInt64(running.count - i))
            running.swapAt(i, j)
            kill(running[i])
        }
    }

    /// Kills a random running Aztec node and starts a new one (a new identity and address).
    func replace() {
        guard let churn = scenario.churn else { return }
        queue.push(.replace, at: now + replacementInterval(churn))
        for _ in 0..<64 {
            let candidate = Int(rng.next() % UInt64(nodes.count))
            if nodes[candidate].alive, nodes[candidate].role == .aztec {
                kill(candidate)
                break
            }
        }
        let index = nodes.count
        guard index + 1 < SimulatedAddressing.capacity else { return }
        let region = Placement.draw(shares: scenario.network.regionShares, using: &rng)
        let link = Placement.draw(shares: scenario.network.bandwidthClasses.map(\.share), using: &rng)
        nodes.append(SimulatedNode(role: .aztec, region: region, bandwidthClass: link, dialSettings: dialSettings))
        linkLatencies.addNode(region: region)
        links.addNode(bandwidth: scenario.network.bandwidthClasses[link].bandwidth)
        drawGossipProtocol(index)
        delivered.append([])
        if scenario.join.mode == .discovery {
            do { try makeIdentity(index) } catch { return }
        }
        start(index)
    }
}

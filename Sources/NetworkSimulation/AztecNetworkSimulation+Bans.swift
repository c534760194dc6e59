import AztecP2P
import GossipSub

/// The node's ban policy, run by every simulated node.
extension AztecNetworkSimulation {
    /// The node's ban check (``PeerBanList``, as ``AztecNode`` runs it every second): peers
    /// scored below the graylist threshold are disconnected and refused for the ban's duration,
    /// those that left before their score fell too.
    func enforceBans(_ index: Int) {
        guard nodes[index].hasRouter else { return }
        let t = now.sinceStart
        let threshold = peerScore.thresholds.graylistThreshold
        let gone = nodes[index].readRouter { $0.disconnectedPeers(scoredBelow: threshold, now: t) }
        guard !nodes[index].connections.isEmpty || !gone.isEmpty else { return }
        nodes[index].bans.expire(now: t)
        var scores: [(Int32, Double)] = []
        scores.reserveCapacity(nodes[index].connections.count + gone.count)
        for peer in nodes[index].connections.keys.sorted() {
            scores.append((peer, nodes[index].readRouter { $0.peerScore(IndexedPeer(Int(peer)), now: t) }))
        }
        for peer in gone { scores.append((Int32(peer.index), nodes[index].readRouter { $0.peerScore(peer, now: t) })) }
        let banned = nodes[index].bans.banPeers(scoredBelow: threshold, scores, now: t)
        for peer in banned {
            let other = Int(peer)
            trace.mix(0xBA17 << 40 | UInt64(index) << 20 | UInt64(other))
            if !nodes[index].isAttacker {
                if !nodes[other].isAttacker {
                    honestBansByClass[nodes[other].bandwidthClass] += 1
                    honestBansByBannerClass[nodes[index].bandwidthClass] += 1
                }
                let key = Self.pair(index, other)
                if let contact = spamLedger.firstContact[key], spamLedger.banDelays[key] == nil {
                    spamLedger.banDelays[key] = (now - contact).seconds
                    if nodes[index].connections[peer] == nil { spamLedger.bannedAfterLeaving += 1 }
                }
            }
            guard nodes[index].connections[peer] != nil else { continue }
            disconnect(index, from: other)
            queue.push(.peerGone(node: peer, peer: Int32(index)), at: now + latency(index, other))
        }
    }
}

import AztecP2P
import GossipSub

/// The node's ban policy, run by every simulated node.
extension AztecNetworkSimulation {
    /// The node's ban check (``PeerBanList``, as ``AztecNode`` runs it every second): peers
    /// scored below the graylist threshold are disconnected and refused for the ban's duration.
    func enforceBans(_ index: Int) {
        guard nodes[index].hasRouter, !nodes[index].connections.isEmpty else { return }
        let t = now.sinceStart
        nodes[index].bans.expire(now: t)
        var scores: [(Int32, Double)] = []
        scores.reserveCapacity(nodes[index].connections.count)
        for peer in nodes[index].connections.keys.sorted() {
            scores.append((peer, nodes[index].readRouter { $0.peerScore(IndexedPeer(Int(peer)), now: t) }))
        }
        let banned = nodes[index].bans.banPeers(scoredBelow: peerScore.thresholds.graylistThreshold, scores, now: t)
        for peer in banned {
            let other = Int(peer)
            trace.mix(0xBA17 << 40 | UInt64(index) << 20 | UInt64(other))
            if !nodes[index].isAttacker {
                if !nodes[other].isAttacker { honestBansByClass[nodes[other].bandwidthClass] += 1 }
                let key = Self.pair(index, other)
                if let contact = spamLedger.firstContact[key], spamLedger.banDelays[key] == nil {
                    spamLedger.banDelays[key] = (now - contact).seconds
                }
            }
            disconnect(index, from: other)
            queue.push(.peerGone(node: peer, peer: Int32(index)), at: now + latency(index, other))
        }
    }
}

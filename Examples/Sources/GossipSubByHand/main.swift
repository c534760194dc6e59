// The sans-IO GossipSub router alone, driven by hand.
//
// Three routers, no sockets, no clock, no threads: this program is their network. It hands each
// router its events (a peer connected, an RPC arrived, the heartbeat is due) with the time, and
// carries out the actions the router returns (send this RPC, validate this message). A real
// node does the same with TCP streams and a timer; the network simulator does it for thousands
// of routers in virtual time.
import GossipSub

typealias Router = GossipSubRouter<IndexedPeer>

let topic = "/example/1/blocks"
// Unsigned messages named by their content (StrictNoSign needs a content id); StrictSign would
// take this node's signer instead.
var parameters = GossipSubConfig.Parameters(signaturePolicy: .strictNoSign)
parameters.messageIDFunction = .contentSHA256(prefixLength: 20)
let config = try GossipSubConfig(validating: parameters)
var routers = (0..<3).map { Router(config: config, seed: UInt64($0)) }
var now = Duration.zero
var delivered: [Int: [String]] = [:]

/// RPCs in flight: each crosses the "wire" as bytes, as it would on a stream.
var inFlight: [(to: Int, from: Int, bytes: [UInt8])] = []

/// Carries out what router `node` asked for.
@MainActor
func perform(_ actions: [GossipSubAction<IndexedPeer>], at node: Int) {
    for action in actions {
        switch action {
        case .send(let peer, let rpc):
            inFlight.append((Int(peer.index), node, rpc.encoded()))
        case .deliver(let message, let source):
            // The application validates; only an accepted message is forwarded.
            delivered[node, default: []].append(String(decoding: message.data, as: UTF8.self))
            print("  node \(node) got \"\(String(decoding: message.data, as: UTF8.self))\" from \(source)")
            perform(routers[node].validationResult(message.id, .accept, now: now), at: node)
        case .event(let event):
            if case .grafted(let peer, let topic) = event { print("  node \(node) grafted \(peer) on \(topic)") }
        }
    }
}

/// Delivers RPCs until the network is quiet, 10 ms of virtual time per hop.
@MainActor
func runUntilQuiet() throws {
    while !inFlight.isEmpty {
        now += .milliseconds(10)
        let batch = inFlight
        inFlight = []
        for (to, from, bytes) in batch {
            let rpc = try RPC.decode(bytes)   // hostile input is normal input: bounded, typed errors
            perform(routers[to].rpcReceived(rpc, from: IndexedPeer(from), now: now), at: to)
        }
    }
}

print("connecting three routers and subscribing them to \(topic)")
for a in 0..<3 {
    for b in 0..<3 where a != b {
        perform(routers[a].peerConnected(IndexedPeer(b), protocol: .meshsub12, outbound: a < b, now: now), at: a)
    }
}
for node in 0..<3 { perform(routers[node].subscribe(topic, now: now), at: node) }
try runUntilQuiet()

print("one heartbeat each: the meshes form")
now += .seconds(1)
for node in 0..<3 { perform(routers[node].heartbeat(now: now), at: node) }
try runUntilQuiet()
for node in 0..<3 { print("  node \(node) mesh: \(routers[node].meshPeers(topic))") }

print("node 0 publishes")
let (id, actions) = try routers[0].publish(topic: topic, data: Array("hello, mesh".utf8), now: now)
perform(actions, at: 0)
try runUntilQuiet()
precondition(delivered[1] == ["hello, mesh"] && delivered[2] == ["hello, mesh"], "every other router got it once")
print("message \(id) reached nodes 1 and 2 once each at t = \(now)")

import ArgumentParser
import AztecP2P
import Crypto
import Foundation
import GossipSub
import GossipSubHost
import LibP2P
import LibP2PCore
import Logging
import NIOPosix
import Synchronization

/// `aztec-p2p gossip`: a general GossipSub peer for debugging and interop, printing one JSON
/// object per line.
struct GossipCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gossip",
        abstract: "A GossipSub peer: listen, dial, publish and print received messages as JSON lines.")

    @Option(help: "Listen multiaddr, e.g. /ip4/127.0.0.1/tcp/0.") var listen = "/ip4/127.0.0.1/tcp/0"
    @Option(help: "Peer to dial: /ip4/…/tcp/…[/p2p/<id>] (repeatable).") var dial: [String] = []
    @Option(help: "Topic.") var topic = "/aztec/tx/0.1.0"
    @Option(help: "Muxer: yamux or mplex.") var muxer = "yamux"
    @Option(name: .customLong("key-type"), help: "Identity key: ed25519 or secp256k1.") var keyType = "ed25519"
    @Option(help: "Signature policy: strict (StrictSign) or none (StrictNoSign).") var sign = "strict"
    @Option(name: .customLong("msg-id"), help: "Message id: peer-seqno, sha256 (of data) or aztec (sha256(topic‖data)[:20]).")
    var msgID = "peer-seqno"
    @Option(help: "Messages to publish.") var publish = 0
    @Option(help: "Size of each published message in bytes.") var size = 1024
    @Option(help: "Milliseconds between publishes.") var interval = 1000
    @Option(help: "Messages to receive before succeeding.") var expect: Int?
    @Option(name: .customLong("publish-after"), help: "Publish only once this many messages have arrived.")
    var publishAfter = 0
    @Option(help: "Seconds before giving up.") var timeout = 60.0
    @Option(help: "Seconds to keep forwarding after done.") var linger = 0.0
    @Option(help: "Heartbeat interval in milliseconds.") var heartbeat = 1000
    @Flag(help: "No line per received message (a relay whose CPU is measured); the counts stay.") var quiet = false

    func validate() throws {
        guard ["yamux", "mplex"].contains(muxer) else { throw ValidationError("--muxer must be yamux or mplex") }
        guard ["ed25519", "secp256k1"].contains(keyType) else { throw ValidationError("--key-type must be ed25519 or secp256k1") }
        guard ["strict", "none"].contains(sign) else { throw ValidationError("--sign must be strict or none") }
        guard ["peer-seqno", "sha256", "aztec"].contains(msgID) else { throw ValidationError("--msg-id must be peer-seqno, sha256 or aztec") }
        guard !(msgID == "peer-seqno" && sign == "none") else {
            throw ValidationError("--msg-id peer-seqno needs --sign strict (StrictNoSign messages have no from/seqno)")
        }
        guard !(msgID == "aztec" && sign == "strict") else { throw ValidationError("--msg-id aztec means --sign none") }
        guard publish >= 0, size >= 0, size <= 1 << 20, interval >= 0, publishAfter >= 0 else {
            throw ValidationError("bad --publish/--size/--interval/--publish-after")
        }
        guard timeout > 0, linger >= 0, heartbeat > 0 else { throw ValidationError("--timeout and --heartbeat must be positive") }
    }

    func run() async throws {
        let interrupted = LockedValue(false)
        let trap = await ShutdownSignals.trap(setting: interrupted)
        defer { trap.cancel() }
        var logger = Logger(label: "gossip")
        logger.logLevel = .error

        let (listenHost, listenPort, _) = try Self.hostPort(listen)
        var rng = SystemRandomNumberGenerator()
        var payloadRNG = SplitMix64(seed: rng.next())
        let identity: HostIdentity = keyType == "secp256k1" ? .secp256k1(using: &rng) : .ed25519(using: &rng)
        var parameters = GossipSubConfig.Parameters(signaturePolicy: sign == "strict" ? identity.strictSignPolicy : .strictNoSign)
        parameters.heartbeatInterval = .milliseconds(heartbeat)
        switch msgID {
        case "peer-seqno": parameters.messageIDFunction = .fromAndSeqno
        case "sha256": parameters.messageIDFunction = .custom { raw in
            MessageID(Array(SHA256.hash(data: raw.data ?? [])))
        }
        default: parameters.messageIDFunction = AztecTopic.messageIDFunction
        }
        let config = try GossipSubConfig(validating: parameters)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let host = try GossipSubHost.make(
            identity: identity, config: config, seed: rng.next(),
            muxers: muxer == "mplex" ? [.mplex] : [.yamux], group: group, logger: logger)
        await host.start()
        let port = try await host.listen(host: listenHost, port: listenPort)
        let family = listenHost.contains(":") ? "ip6" : "ip4"
        print("/\(family)/\(listenHost)/tcp/\(port)/p2p/\(host.peerID)")
        fflush(nil)

        let subscription = await host.subscribe(topic)
        let received = LockedValue(0)
        let expected = expect
        let quiet = quiet
        let reader = Task {
            for await m in subscription {
                if quiet {
                    received.withLock { $0 += 1 }
                    continue
                }
                let raw = m.message.raw
                let from = raw.from.flatMap { try? PeerID(multihashBytes: $0) }.map { "\($0)" }
                Self.emit([
                    "event": "msg", "topic": raw.topic, "from": from.map { $0 as Any } ?? NSNull(),
                    "seqno": raw.seqno.map { Self.hex($0) as Any } ?? NSNull(),
                    "data_len": m.message.data.count, "sha256": Self.hex(Array(SHA256.hash(data: m.message.data))),
                ])
                received.withLock { $0 += 1 }
            }
        }
        let deadline = ContinuousClock.now + .seconds(timeout)
        for address in dial {
            let (h, p, peer) = try Self.hostPort(address)
            do {
                try await host.dial(host: h, port: p, expectedPeer: peer)
            } catch {
                Self.emit(["event": "error", "dial": address, "error": "\(error)"])
            }
        }

        if publish > 0 {
            // No point publishing before anyone subscribed: wait for a subscriber (and for
            // --publish-after messages), then a heartbeat so that meshes form.
            while await host.topicPeers(topic).isEmpty || received.value < publishAfter,
                  ContinuousClock.now < deadline, !interrupted.value {
                try await Task.sleep(for: .milliseconds(50))
            }
            try await Task.sleep(for: .milliseconds(heartbeat))
            for n in 0..<publish where ContinuousClock.now < deadline && !interrupted.value {
                if n > 0 { try await Task.sleep(for: .milliseconds(interval)) }
                // From a generator seeded once: the system generator costs a system call per
                // draw, which made publishing 40 KB take 20 ms.
                let data = SyntheticTransactions.randomBytes(size, &payloadRNG)
                do {
                    // Paced: waits while a peer's queue is full rather than overflow it.
                    let id = try await host.publishPaced(topic: topic, data: data)
                    Self.emit(["event": "published", "topic": topic, "msg_id": id.description, "data_len": size,
                               "sha256": Self.hex(Array(SHA256.hash(data: data)))])
                } catch {
                    Self.emit(["event": "error", "publish": n, "error": "\(error)"])
                }
            }
        }

        while ContinuousClock.now < deadline, !interrupted.value {
            if let expected, received.value >= expected { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let count = received.value
        let ok = expected.map { count >= $0 } ?? true
        let stats = await host.currentStats()
        Self.emit(["event": "stats", "idontwant_sent": stats.idontwantSent, "idontwant_received": stats.idontwantReceived,
                   "publish_waits": stats.publishWaits, "frames_dropped": stats.framesDropped,
                   "duplicates": stats.duplicates, "messages_received": stats.messagesReceived,
                   "bytes_in": stats.bytesIn, "malformed_streams": stats.malformedStreams])
        Self.emit(["event": "done", "received": count, "ok": ok])
        let lingerEnd = ContinuousClock.now + .seconds(linger)
        while ContinuousClock.now < lingerEnd, !interrupted.value { try await Task.sleep(for: .milliseconds(50)) }
        reader.cancel()
        await host.stop()
        // Let the connections' close callbacks run before their event loops go away.
        try? await Task.sleep(for: .milliseconds(200))
        try? await group.shutdownGracefully()
        if !ok { throw ExitCode(1) }
    }

    /// Host, port and optional peer id of `/ip4|ip6/…/tcp/…[/p2p/…]`.
    static func hostPort(_ text: String) throws -> (String, Int, PeerID?) {
        let address: Multiaddr
        do { address = try Multiaddr(text) } catch { throw ValidationError("bad multiaddr \(text): \(error)") }
        var host: String?
        var port: Int?
        var peer: PeerID?
        for component in address.components {
            switch component {
            case .ip4, .ip6: host = component.valueString
            case .tcp(let p): port = Int(p)
            case .p2p(let id): peer = id
            default: break
            }
        }
        guard let host, let port else { throw ValidationError("\(text): need /ip4 or /ip6 and /tcp") }
        return (host, port, peer)
    }

    static func hex(_ bytes: [UInt8]) -> String { MessageID(bytes).description }

    static func emit(_ object: [String: Any]) {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]),
              let line = String(data: data, encoding: .utf8) else { return }
        print(line)
        fflush(nil)
    }
}

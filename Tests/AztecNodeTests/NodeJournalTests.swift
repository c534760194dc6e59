import AztecHTTP
import AztecNode
import AztecP2P
import Foundation
import InteropSupport
import Testing

/// The pool journal under `aztec-p2p node`: a FIFO in its place stops the start at once, and on
/// a disk that cannot take the journal (a real file size limit, RLIMIT_FSIZE) node_sendTx answers
/// an error instead of an acknowledgement, and no acknowledged transaction is lost to `kill -9`.
@Suite(.tags(.integration)) struct NodeJournalTests {
    static func scratch() throws -> String {
        let path = NSTemporaryDirectory() + "aztec-node-journal-\(UInt64.random(in: 0...UInt64.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Red-team: "a FIFO in the journal's place hangs startup, ignoring SIGTERM".
    @Test(.timeLimit(.minutes(1)))
    func fifoInTheJournalsPlaceStopsTheStartAtOnce() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(mkfifo(directory + "/tx-pool.journal", 0o644) == 0)
        let node = try InteropPeers.launchAztecP2P(["node", "--listen", "127.0.0.1:0", "--no-discovery", "--data-dir", directory])
        let status = try await node.waitForExit(timeout: .seconds(30))
        #expect(status != 0)
        #expect(node.standardError.contains("is a FIFO, not a regular file"), "\(node.standardError)")
    }

    @Test func unreadableJournalIsAStartupError() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory + "/tx-pool.journal", withIntermediateDirectories: false)
        var configuration = AztecNodeConfiguration()
        configuration.dataDirectory = directory
        configuration.discoveryEnabled = false
        #expect(throws: AztecNodeError.dataDirectory(
            "the transaction pool journal \(directory)/tx-pool.journal is a directory, not a regular file")) {
            try AztecNode(configuration: configuration, state: AllUnspentStateProvider(), proofVerifier: AcceptAllProofVerifier())
        }
    }

    /// A damaged journal: the node starts with every intact record, keeps the damaged file, and
    /// says so in its log as an error, with the counts.
    @Test(.timeLimit(.minutes(1)))
    func damagedJournalIsRestoredKeptAndLogged() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/tx-pool.journal"
        var rng = SplitMix64(seed: 3)
        let transactions = (0..<20).map { _ in SyntheticTransactions.make(size: 1_000, using: &rng) }
        do {
            let (journal, restored) = try TxPoolJournal.open(path: path, pool: .default, limits: .default)
            var pool = restored
            for tx in transactions {
                _ = try pool.insert(tx, now: .seconds(1_700_000_000)).get()
                try await journal.append([.added(try #require(pool.entry(tx.hash)))])
            }
            await journal.close()
        }
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count / 2] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let node = try InteropPeers.launchAztecP2P(["node", "--listen", "127.0.0.1:0", "--rpc", "127.0.0.1:0",
                                                    "--no-discovery", "--data-dir", directory])
        defer { node.stop() }
        let client = try await Self.rpcClient(node)
        let stats = try #require(try await client.call(body: Array(#"{"jsonrpc":"2.0","id":1,"method":"aztec_getPoolStats"}"#.utf8))
            as? [String: Any])
        #expect(stats["count"] as? Int == 19)
        let copies = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix("tx-pool.journal.damaged-") }
        #expect(copies.count == 1)
        // The log line was written before the node listened; its pipe may be read a little later.
        let deadline = ContinuousClock.now + .seconds(10)
        while !node.standardError.contains("kept at"), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        let log = node.standardError
        #expect(log.contains("error"), "\(log)")
        #expect(log.contains("restored 19 transactions from 19 journal records; skipped 1 damaged regions"), "\(log)")
        #expect(log.contains("the damaged file is kept at \(directory)/\(copies.first ?? "?")"), "\(log)")
    }

    /// `aztec-p2p node` with its files limited to `kilobytes` (SIGXFSZ ignored, so writes past
    /// the limit fail with EFBIG as on a full disk).
    static func launchLimited(kilobytes: Int, _ arguments: [String]) throws -> ExternalPeer {
        let binary = try #require(InteropPeers.aztecP2PExecutable)
        return try ExternalPeer.launch(
            URL(fileURLWithPath: "/bin/bash"),
            arguments: ["-c", "trap '' XFSZ; ulimit -f \(kilobytes); exec \"$0\" \"$@\"", binary.path, "node"] + arguments,
            environment: ["AZTEC_P2P_EXIT_WITH_PARENT": "1"])
    }

    static func rpcClient(_ node: ExternalPeer) async throws -> AztecRPCClient {
        let line = try await node.line(where: { $0.hasPrefix("json-rpc ") }, timeout: .seconds(20))
        return try #require(AztecRPCClient(url: String(line.dropFirst("json-rpc ".count))))
    }

    static func sendTx(_ client: AztecRPCClient, _ tx: AztecTransaction) async throws -> TxHash {
        let body = #"{"jsonrpc":"2.0","id":1,"method":"node_sendTx","params":["0x"# + HexCoding.encode(tx.sszEncoded()) + #""]}"#
        let result = try await client.call(body: Array(body.utf8))
        return try #require((result as? String).flatMap { TxHash(hex: $0) })
    }

    @Test(.timeLimit(.minutes(2)))
    func fileSizeLimitRefusesSubmissionsAndKill9LosesNothingAcknowledged() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // A peer on the topic, so that node_sendTx is not refused for want of peers.
        let peer = try InteropPeers.launchAztecP2P(["node", "--listen", "127.0.0.1:0", "--no-discovery"])
        defer { peer.stop() }
        let peerAddress = try await peer.nextLine(timeout: .seconds(20))
        let node = try Self.launchLimited(kilobytes: 48, ["--listen", "127.0.0.1:0", "--rpc", "127.0.0.1:0", "--no-discovery",
                                                          "--static-peer", peerAddress, "--data-dir", directory])
        defer { node.stop() }
        let client = try await Self.rpcClient(node)

        var rng = SplitMix64(seed: 15)
        let transactions = (0..<60).map { _ in SyntheticTransactions.make(size: 2_000, using: &rng) }
        var acknowledged: [TxHash] = []
        var refusals: [String] = []
        // The first submission waits for the peer to join the topic.
        let deadline = ContinuousClock.now + .seconds(30)
        while acknowledged.isEmpty {
            do {
                acknowledged.append(try await Self.sendTx(client, transactions[0]))
            } catch AztecRPCClient.CallError.rpc(let code, _) where code == JSONRPCErrorCode.nodeNotReady.rawValue {
                #expect(ContinuousClock.now < deadline, "the peer never joined the topic")
                if ContinuousClock.now >= deadline { return }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        for tx in transactions.dropFirst() {
            do {
                acknowledged.append(try await Self.sendTx(client, tx))
            } catch AztecRPCClient.CallError.rpc(let code, let message) {
                #expect(code == JSONRPCErrorCode.internalError.rawValue)
                refusals.append(message)
            }
        }
        // 48 KiB hold about 23 records of 2 KB: the rest must be refused, not acknowledged.
        #expect(acknowledged.count >= 10 && acknowledged.count <= 24, "\(acknowledged.count) acknowledged")
        #expect(refusals.count == transactions.count - acknowledged.count)
        #expect(refusals.allSatisfy { $0.contains("could not be journalled") }, "\(refusals.first ?? "")")

        kill(node.processIdentifier, SIGKILL)
        _ = try await node.waitForExit(timeout: .seconds(10))

        // Restarted under the same limit: it starts, and every acknowledged transaction is back.
        let restarted = try Self.launchLimited(kilobytes: 48, ["--listen", "127.0.0.1:0", "--rpc", "127.0.0.1:0",
                                                               "--no-discovery", "--data-dir", directory])
        defer { restarted.stop() }
        let again = try await Self.rpcClient(restarted)
        for hash in acknowledged {
            let query = #"{"jsonrpc":"2.0","id":1,"method":"node_getTxByHash","params":["\#(hash.description)"]}"#
            let found = try await again.call(body: Array(query.utf8))
            #expect(found is [String: Any], "acknowledged \(hash) lost")
        }
        let stats = try #require(try await again.call(body: Array(#"{"jsonrpc":"2.0","id":2,"method":"aztec_getPoolStats"}"#.utf8))
            as? [String: Any])
        #expect((stats["count"] as? Int ?? 0) >= acknowledged.count)
    }
}

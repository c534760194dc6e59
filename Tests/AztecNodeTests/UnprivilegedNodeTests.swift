import AztecHTTP
import AztecP2P
import Foundation
import InteropSupport
import Testing

/// Issue 15's blocker, end to end: as an ordinary user nothing worked (every accepted connection
/// was closed, every dial failed with "Permission denied", because `TCP_NODELAY` was set as
/// `SO_DEBUG`). Here the node, a second node, `ping` and `tx send` all run unprivileged: as
/// `nobody` through `setpriv` when the tests run as root (as in CI), as the current user otherwise.
@Suite(.timeLimit(.minutes(2)), .tags(.integration)) struct UnprivilegedNodeTests {
    static let nobody = 65534

    /// A directory `nobody` may write, and a copy of the binary it may run (the checkout's
    /// directories need not be open to other users).
    struct Sandbox {
        let directory: String
        let binary: URL

        init() throws {
            directory = NSTemporaryDirectory() + "aztec-unprivileged-\(UInt64.random(in: 0...UInt64.max))"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o755])
            guard let built = InteropPeers.aztecP2PExecutable else { throw ExternalPeerError.missing("aztec-p2p executable") }
            if geteuid() == 0 {
                binary = URL(fileURLWithPath: directory + "/aztec-p2p")
                try Self.copyExecutable(built, to: binary)
                let data = directory + "/data"
                try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
                try FileManager.default.setAttributes([.ownerAccountID: nobody, .groupOwnerAccountID: nobody], ofItemAtPath: data)
            } else {
                binary = built
                try FileManager.default.createDirectory(atPath: directory + "/data", withIntermediateDirectories: true)
            }
        }

        /// Copies through `cp` in a child process: a copy written by this process would hold a
        /// write descriptor that a child forked meanwhile by another test inherits, and `exec`
        /// of the copy then fails with "Text file busy" for as long as that child lives.
        static func copyExecutable(_ source: URL, to destination: URL) throws {
            let copy = Process()
            copy.executableURL = URL(fileURLWithPath: "/bin/cp")
            copy.arguments = [source.path, destination.path]
            try copy.run()
            copy.waitUntilExit()
            guard copy.terminationStatus == 0 else { throw ExternalPeerError.missing("a copy of \(source.path)") }
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: destination.path)
        }

        func launch(_ arguments: [String]) throws -> ExternalPeer {
            let environment = ["AZTEC_P2P_EXIT_WITH_PARENT": "1"]
            guard geteuid() == 0 else { return try ExternalPeer.launch(binary, arguments: arguments, environment: environment) }
            return try ExternalPeer.launch(URL(fileURLWithPath: "/usr/bin/setpriv"),
                                           arguments: ["--reuid=\(nobody)", "--regid=\(nobody)", "--clear-groups", "--",
                                                       binary.path] + arguments,
                                           environment: environment)
        }

        func remove() { try? FileManager.default.removeItem(atPath: directory) }
    }

    @Test func nodesPingAndTxSendWorkAsAnOrdinaryUser() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let a = try sandbox.launch(["node", "--listen", "127.0.0.1:0", "--rpc", "127.0.0.1:0", "--data-dir", sandbox.directory + "/data/a"])
        defer { a.stop() }
        let address = try await a.nextLine(timeout: .seconds(30))
        let record = try await a.nextLine(timeout: .seconds(10))
        let rpcURL = String(try await a.nextLine(timeout: .seconds(10)).dropFirst("json-rpc ".count))
        let rpc = try #require(AztecRPCClient(url: rpcURL))

        // The JSON-RPC server accepts connections (an unprivileged server used to reset them all).
        let info = try await rpc.call(body: Array(#"{"jsonrpc":"2.0","id":1,"method":"node_getNodeInfo"}"#.utf8))
        #expect((info as? [String: Any])?["enr"] as? String == record)

        // An unprivileged client dials out (ping used to fail with "Permission denied").
        let ping = try sandbox.launch(["ping", address, "--count", "2"])
        #expect(try await ping.waitForExit(timeout: .seconds(30)) == 0, "\(ping.standardError)")

        // A second unprivileged node joins through A's ENR; then `tx send` to A reaches B's pool.
        let b = try sandbox.launch(["node", "--listen", "127.0.0.1:0", "--rpc", "127.0.0.1:0", "--bootnode", record,
                                    "--data-dir", sandbox.directory + "/data/b"])
        defer { b.stop() }
        _ = try await b.nextLine(timeout: .seconds(30))
        _ = try await b.nextLine(timeout: .seconds(10))
        let bRPC = try #require(AztecRPCClient(url: String(try await b.nextLine(timeout: .seconds(10)).dropFirst("json-rpc ".count))))
        var sent = false
        let deadline = ContinuousClock.now + .seconds(40)
        while !sent, ContinuousClock.now < deadline {
            // A refuses submissions until B is its peer on the topic; each attempt is one process run.
            let send = try sandbox.launch(["tx", "send", "--rpc", rpcURL, "--random", "--seed", "7"])
            sent = try await send.waitForExit(timeout: .seconds(30)) == 0
        }
        #expect(sent)
        let pending = #"{"jsonrpc":"2.0","id":2,"method":"node_getPendingTxs","params":[10]}"#
        var relayed = false
        while !relayed, ContinuousClock.now < deadline {
            let page = try await bRPC.call(body: Array(pending.utf8)) as? [String: Any]
            relayed = (page?["txs"] as? [Any])?.count == 1
            if !relayed { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(relayed)
    }
}

/// At the file-descriptor limit the red team's node crashed or spun: the node now raises its soft
/// limit on open files to the hard limit at start (as Go's runtime does).
@Suite(.timeLimit(.minutes(1)), .tags(.integration)) struct OpenFileLimitTests {
    @Test func theNodeRaisesItsSoftOpenFileLimitToTheHardLimit() async throws {
        guard let binary = InteropPeers.aztecP2PExecutable else { throw ExternalPeerError.missing("aztec-p2p executable") }
        let node = try ExternalPeer.launch(
            URL(fileURLWithPath: "/bin/sh"),
            arguments: ["-c", "ulimit -Sn 256 && exec \"$0\" node --listen 127.0.0.1:0 --no-discovery", binary.path],
            environment: ["AZTEC_P2P_EXIT_WITH_PARENT": "1"])
        defer { node.stop() }
        _ = try await node.nextLine(timeout: .seconds(30))
        let limits = try String(contentsOfFile: "/proc/\(node.processIdentifier)/limits", encoding: .utf8)
        let line = try #require(limits.split(separator: "\n").first { $0.hasPrefix("Max open files") })
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        let soft = fields[3], hard = fields[4]
        #expect(soft == hard || (Int(soft) ?? 0) >= 1 << 20, "\(line)")
        #expect(soft != "256")
    }
}

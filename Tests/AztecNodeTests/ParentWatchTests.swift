import Foundation
import InteropSupport
import Testing

/// A node started by a test process must not outlive it: with `AZTEC_P2P_EXIT_WITH_PARENT=1`
/// (what InteropSupport sets), `aztec-p2p` exits once its parent is gone.
@Suite(.tags(.integration)) struct ParentWatchTests {
    @Test(.timeLimit(.minutes(1)))
    func aztecP2PExitsWhenItsParentDies() async throws {
        let binary = try #require(InteropPeers.aztecP2PExecutable)
        // A shell starts the node in the background, prints its pid and waits; the test then
        // kills the shell, as a crash would end a test process.
        let shell = try ExternalPeer.launch(
            URL(fileURLWithPath: "/bin/sh"),
            arguments: ["-c", "\"$0\" listen --listen /ip4/127.0.0.1/tcp/0 >/dev/null 2>&1 & echo $!; exec sleep 60", binary.path],
            environment: ["AZTEC_P2P_EXIT_WITH_PARENT": "1"])
        defer { shell.stop() }
        let pid = try #require(Int32(try await shell.nextLine(timeout: .seconds(30))))
        defer { kill(pid, SIGKILL) }
        try await Task.sleep(for: .milliseconds(300))
        #expect(kill(pid, 0) == 0, "the node runs while its parent lives")
        kill(shell.processIdentifier, SIGKILL)
        var gone = false
        for _ in 0..<100 where !gone {
            try await Task.sleep(for: .milliseconds(100))
            gone = (kill(pid, 0) != 0 && errno == ESRCH) || Self.isZombie(pid)
        }
        #expect(gone, "the node outlived its parent")
    }

    /// Exited but not yet reaped (a container's init may be slow to reap orphans).
    static func isZombie(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return stat[close...].dropFirst().trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }
}

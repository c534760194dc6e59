import Foundation
import Synchronization

/// Why an external peer could not be used.
public enum ExternalPeerError: Error, Equatable, CustomStringConvertible {
    case missing(String)
    case timedOut(waitingFor: String, stderr: String)
    case exited(status: Int32, stderr: String)

    public var description: String {
        switch self {
        case .missing(let what): "missing: \(what)"
        case .timedOut(let what, let stderr): "timed out waiting for \(what); stderr:\n\(stderr)"
        case .exited(let status, let stderr): "peer exited with status \(status); stderr:\n\(stderr)"
        }
    }
}

/// A child process (a Python libp2p peer, or our own `aztec-p2p`) whose standard output is read
/// line by line. It is terminated and reaped by ``stop()``, and in any case when released, so a
/// failing test never leaves a process behind.
public final class ExternalPeer: Sendable {
    private let process: Process
    private let state = Mutex(State())
    private struct State {
        var lines: [String] = []
        var partial: [UInt8] = []
        var stderr: [UInt8] = []
        var closed = false
        var stderrClosed = false
    }

    private init(process: Process) { self.process = process }

    /// Starts `executable` with `arguments`; stdout lines and stderr are collected as they arrive.
    public static func launch(_ executable: URL, arguments: [String],
                              environment: [String: String] = [:]) throws -> ExternalPeer {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["PYTHONUNBUFFERED"] = "1"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let peer = ExternalPeer(process: process)
        out.fileHandleForReading.readabilityHandler = { [weak peer] handle in
            let data = handle.availableData
            peer?.state.withLock { state in
                if data.isEmpty { state.closed = true; return }
                state.partial += data
                while let newline = state.partial.firstIndex(of: 0x0A) {
                    state.lines.append(String(decoding: state.partial[..<newline], as: UTF8.self))
                    state.partial.removeSubrange(...newline)
                }
            }
            if data.isEmpty { handle.readabilityHandler = nil }
        }
        err.fileHandleForReading.readabilityHandler = { [weak peer] handle in
            let data = handle.availableData
            peer?.state.withLock { state in
                if data.isEmpty { state.stderrClosed = true; return }
                if state.stderr.count < 1 << 20 { state.stderr += data }
            }
            if data.isEmpty { handle.readabilityHandler = nil }
        }
        try process.run()
        return peer
    }

    /// Everything the process wrote to stderr so far (at most 1 MiB).
    public var standardError: String { state.withLock { String(decoding: $0.stderr, as: UTF8.self) } }

    /// The process id.
    public var processIdentifier: Int32 { process.processIdentifier }

    /// Removes and returns the next complete stdout line, waiting up to `timeout`.
    public func nextLine(timeout: Duration = .seconds(30)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while true {
            let (line, closed) = state.withLock { state -> (String?, Bool) in
                state.lines.isEmpty ? (nil, state.closed) : (state.lines.removeFirst(), false)
            }
            if let line { return line }
            // A process that exited may still have lines in the pipe: they are all read once the
            // reader has seen the pipe's end (`closed`). A fixed wait for them lost a line written
            // just before the exit when the machine was loaded.
            if closed || (!process.isRunning && ContinuousClock.now >= deadline) {
                throw ExternalPeerError.exited(status: process.isRunning ? -1 : process.terminationStatus,
                                               stderr: standardError)
            }
            if ContinuousClock.now >= deadline {
                throw ExternalPeerError.timedOut(waitingFor: "a line on stdout", stderr: standardError)
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Reads lines until one satisfies `predicate`, returning it (earlier lines are discarded).
    public func line(where predicate: (String) -> Bool, timeout: Duration = .seconds(30)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while true {
            let left = deadline - ContinuousClock.now
            guard left > .zero else {
                throw ExternalPeerError.timedOut(waitingFor: "a matching line", stderr: standardError)
            }
            let line = try await nextLine(timeout: left)
            if predicate(line) { return line }
        }
    }

    /// Waits for the process to exit on its own (up to `timeout`) and returns its status. Its
    /// output is read to the end first: ``standardError`` and the stdout lines are complete
    /// (unless a child of the process still holds the pipes open past the deadline).
    public func waitForExit(timeout: Duration = .seconds(30)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now >= deadline {
                stop()
                throw ExternalPeerError.timedOut(waitingFor: "exit", stderr: standardError)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        // The pipes' readers run on their own threads and may not have seen the last bytes
        // (or the end) yet when the exit is noticed.
        while !state.withLock({ $0.closed && $0.stderrClosed }), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        return process.terminationStatus
    }

    /// Sends SIGTERM, then SIGKILL after 2 s, and reaps the process. Safe to call twice.
    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(2)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { stop() }
}

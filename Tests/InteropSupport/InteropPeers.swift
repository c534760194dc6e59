import Foundation

/// Where the interop tests find their real peers: the Python venv that `make test` installs
/// (`scripts/deps.sh`), the peer scripts in `scripts/interop/`, and our own `aztec-p2p` binary.
///
/// The rule matches the conformance vectors: when a peer is missing the suite is skipped visibly
/// on a developer machine, and fails when the `CI` environment variable is set.
public enum InteropPeers {
    /// The repository root (two levels above this file's directory).
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `$AZTEC_P2P_PYTHON`, else `<repo>/.venv/bin/python`, when that file exists.
    public static var python: URL? {
        if let path = ProcessInfo.processInfo.environment["AZTEC_P2P_PYTHON"], !path.isEmpty {
            return FileManager.default.isExecutableFile(atPath: path) ? URL(fileURLWithPath: path) : nil
        }
        let venv = repositoryRoot.appendingPathComponent(".venv/bin/python")
        return FileManager.default.isExecutableFile(atPath: venv.path) ? venv : nil
    }

    /// True when the Python peers can run, or when running under CI (where their absence must fail).
    public static var pythonShouldRun: Bool {
        if python != nil { return true }
        let ci = ProcessInfo.processInfo.environment["CI"] != nil
        if !ci { print("interop: skipped, no Python venv (run `make test`, or set AZTEC_P2P_PYTHON)") }
        return ci
    }

    /// go-libp2p's `p2pd`: `$AZTEC_P2P_P2PD`, else next to the venv's interpreter, when the file
    /// is executable (scripts/interop/go_daemon.py looks in the same places).
    public static var p2pd: URL? {
        if let path = ProcessInfo.processInfo.environment["AZTEC_P2P_P2PD"], !path.isEmpty {
            return FileManager.default.isExecutableFile(atPath: path) ? URL(fileURLWithPath: path) : nil
        }
        guard let python else { return nil }
        let beside = python.deletingLastPathComponent().appendingPathComponent("p2pd")
        return FileManager.default.isExecutableFile(atPath: beside.path) ? beside : nil
    }

    /// True when the go peers can run (the venv and `p2pd`), or under CI, where their absence must
    /// fail.
    public static var goShouldRun: Bool {
        if python != nil, p2pd != nil { return true }
        let ci = ProcessInfo.processInfo.environment["CI"] != nil
        if !ci { print("interop: go skipped, no p2pd (run `make test`, or set AZTEC_P2P_P2PD)") }
        return ci
    }

    /// `scripts/interop/<name>`.
    public static func script(_ name: String) -> URL {
        repositoryRoot.appendingPathComponent("scripts/interop").appendingPathComponent(name)
    }

    /// Our own `aztec-p2p` executable: `$AZTEC_P2P_BIN`, else next to the test bundle (SwiftPM
    /// builds every product into the same directory with `swift build --build-tests`).
    public static var aztecP2PExecutable: URL? {
        if let path = ProcessInfo.processInfo.environment["AZTEC_P2P_BIN"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        var directory = URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("aztec-p2p")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return nil
    }

    /// Launches a Python peer script from `scripts/interop/` with the venv's interpreter.
    public static func launchPython(_ scriptName: String, _ arguments: [String]) throws -> ExternalPeer {
        guard let python else { throw ExternalPeerError.missing("Python venv (.venv or AZTEC_P2P_PYTHON)") }
        return try ExternalPeer.launch(python, arguments: ["-u", script(scriptName).path] + arguments)
    }

    /// Launches our own `aztec-p2p` executable.
    public static func launchAztecP2P(_ arguments: [String]) throws -> ExternalPeer {
        guard let binary = aztecP2PExecutable else { throw ExternalPeerError.missing("aztec-p2p executable") }
        // It exits by itself should this test process die without stopping it.
        return try ExternalPeer.launch(binary, arguments: arguments, environment: ["AZTEC_P2P_EXIT_WITH_PARENT": "1"])
    }
}

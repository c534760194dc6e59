/// Why an ``AztecNode`` could not be configured or started.
public enum AztecNodeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A configuration field broke an invariant.
    case invalidConfiguration(String)
    /// The key file exists but does not hold a valid secp256k1 key.
    case invalidKeyFile(String)
    /// The data directory could not be created or written.
    case dataDirectory(String)
    /// Listening, discovery or the JSON-RPC server failed to start.
    case startFailed(String)
    /// ``AztecNode/start()`` was called twice, or after ``AztecNode/stop()``.
    case alreadyStarted

    /// A one-line message for operators: the kind of failure, then its detail.
    public var description: String {
        switch self {
        case .invalidConfiguration(let why): "invalid configuration: \(why)"
        case .invalidKeyFile(let why): "invalid key file: \(why)"
        case .dataDirectory(let why): "data directory: \(why)"
        case .startFailed(let why): "start failed: \(why)"
        case .alreadyStarted: "the node was already started"
        }
    }
}

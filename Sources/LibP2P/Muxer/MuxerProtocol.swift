/// The stream multiplexers a connection can negotiate, with their multistream-select ids.
public enum MuxerProtocol: String, Sendable, Hashable, CaseIterable {
    /// `/yamux/1.0.0`, preferred: it has per-stream flow control.
    case yamux = "/yamux/1.0.0"
    /// `/mplex/6.7.0`, for older peers.
    case mplex = "/mplex/6.7.0"

    /// The protocol id sent in multistream-select.
    public var protocolID: String { rawValue }
}

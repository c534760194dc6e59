/// Inbound stream handlers by protocol id: the connection negotiates the stream's protocol
/// with multistream-select among these ids, then hands the stream to its handler in a task.
public typealias P2PStreamHandlers = [String: @Sendable (P2PStream) async -> Void]

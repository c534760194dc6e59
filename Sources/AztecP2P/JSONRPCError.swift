/// JSON-RPC 2.0 error codes: the standard ones, plus the application's in the server range.
public enum JSONRPCErrorCode: Int, Hashable, Sendable, CaseIterable {
    /// The body is not JSON.
    case parseError = -32700
    /// Not a JSON-RPC 2.0 request object (or an empty or oversized batch, or an oversized body).
    case invalidRequest = -32600
    /// No method of that name.
    case methodNotFound = -32601
    /// Missing or ill-typed parameters (including undecodable transaction bytes).
    case invalidParams = -32602
    /// The node failed to handle a valid request (e.g. the service is shut down or the journal cannot be written).
    case internalError = -32603
    /// The transaction is invalid (``TxRejection``).
    case transactionRejected = -32000
    /// The transaction is valid but not accepted now (already known, pool full, recently spent nullifier…).
    case transactionNotAccepted = -32001
    /// The node cannot take transactions now (not synced, or no peers).
    case nodeNotReady = -32002
    /// The response would exceed the server's response budget (batch members past the budget get this).
    case responseTooLarge = -32003
}

/// A JSON-RPC error object.
public struct JSONRPCError: Error, Hashable, Sendable {
    /// The error object's `code`.
    public let code: JSONRPCErrorCode
    /// The error object's `message`, for humans.
    public let message: String

    /// An error with `code` and `message`.
    public init(_ code: JSONRPCErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The error for a refused submission.
    public init(_ error: TxSubmitError) {
        switch error {
        case .invalid: self.init(.transactionRejected, error.description)
        case .notAccepted: self.init(.transactionNotAccepted, error.description)
        case .notSynced, .noPeers: self.init(.nodeNotReady, error.description)
        case .unavailable, .notPersisted: self.init(.internalError, error.description)
        }
    }
}

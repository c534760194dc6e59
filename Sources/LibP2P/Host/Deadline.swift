/// Runs `body`, throwing ``P2PError/requestTimedOut`` (and cancelling it) after `timeout`.
func withDeadline<T: Sendable>(
    _ timeout: Duration, _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw P2PError.requestTimedOut
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw P2PError.requestTimedOut }
        return first
    }
}

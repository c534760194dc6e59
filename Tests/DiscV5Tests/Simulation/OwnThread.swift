import Foundation

/// Runs `body` on a thread of its own and returns its result.
///
/// A simulation computes for seconds to minutes without suspending. On Swift's cooperative pool
/// (one thread per core) it would hold a thread for all that time and starve the tests that
/// wait on sockets and peers in other processes; on its own thread the OS shares the cores.
/// Expectations belong after the `await`, where the test's context is current.
func onOwnThread<Result: Sendable>(_ body: @escaping @Sendable () throws -> Result) async throws -> Result {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Swift.Result { try body() }) }
        thread.stackSize = 16 << 20
        thread.start()
    }
}

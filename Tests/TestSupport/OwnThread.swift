import Foundation

/// Runs `body` on a thread of its own, at a low scheduling priority, and returns its result.
///
/// A simulation computes for seconds to minutes without suspending. On Swift's cooperative pool
/// (one thread per core) it would hold a thread for all that time and starve the tests that
/// wait on sockets, deadlines and peers in other processes. On its own thread at nice 10 it
/// takes the cores those tests leave idle, so their timing stays close to an unloaded machine's
/// while the simulations still finish as soon as the cores allow.
/// Expectations belong after the `await`, where the test's context is current.
public func onOwnThread<Result: Sendable>(_ body: @escaping @Sendable () throws -> Result) async throws -> Result {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            #if os(Linux)
            // On Linux the nice value is per thread, and `0` names the calling one.
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
            #endif
            continuation.resume(with: Swift.Result { try body() })
        }
        thread.stackSize = 16 << 20
        thread.start()
    }
}

/// ``onOwnThread(_:)`` for results that are not `Sendable` (a simulation's state, say). Sound
/// because `body` captures only `Sendable` values and its thread ends with it: whatever the
/// result refers to was made there and nothing there keeps it.
public func onOwnThread<Result>(handingOver body: @escaping @Sendable () throws -> Result) async throws -> Result {
    try await onOwnThread { HandOver(value: try body()) }.value
}

private struct HandOver<Value>: @unchecked Sendable {
    let value: Value
}

import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Waits for SIGINT or SIGTERM (the discovery servers' clean exit).
final class DiscoveryShutdownSignal: Sendable {
    private let state = Mutex<(sources: [any DispatchSourceSignal], continuation: CheckedContinuation<Int32, Never>?, fired: Int32?)>(
        (sources: [], continuation: nil, fired: nil))

    init() {
        var sources: [any DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.fire(number) }
            source.resume()
            sources.append(source)
        }
        state.withLock { $0.sources = sources }
    }

    private func fire(_ number: Int32) {
        let continuation = state.withLock { state -> CheckedContinuation<Int32, Never>? in
            guard state.fired == nil else { return nil }
            state.fired = number
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.resume(returning: number)
    }

    /// Returns the signal number once one arrived.
    func wait() async -> Int32 {
        await withCheckedContinuation { continuation in
            let fired = state.withLock { state -> Int32? in
                if let fired = state.fired { return fired }
                state.continuation = continuation
                return nil
            }
            if let fired { continuation.resume(returning: fired) }
        }
    }
}

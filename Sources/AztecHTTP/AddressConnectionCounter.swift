import Logging
import NIOConcurrencyHelpers
import NIOCore

/// Open connections per remote IP address, shared by every connection of one ``HTTPEndpoint``
/// (their event loops differ, hence the lock). Refusals are logged at most once per interval, with
/// their count, so a flood does not turn into a flood of log lines.
final class AddressConnectionCounter: Sendable {
    private struct State {
        var open: [String: Int] = [:]
        var refusedSinceLog = 0
        var lastLog: NIODeadline?
    }

    private let limit: Int
    private let logInterval: TimeAmount
    private let logger: Logger
    private let state = NIOLockedValueBox(State())

    /// - Parameter limit: open connections allowed from one address.
    init(limit: Int, logger: Logger, logInterval: TimeAmount = .seconds(10)) {
        self.limit = limit
        self.logger = logger
        self.logInterval = logInterval
    }

    /// Counts a new connection from `address`, or refuses it (`false`) when that address has `limit` open.
    func open(_ address: String, now: NIODeadline = .now()) -> Bool {
        let refusedToLog: Int? = state.withLockedValue { state in
            if state.open[address, default: 0] < limit {
                state.open[address, default: 0] += 1
                return nil
            }
            state.refusedSinceLog += 1
            if let last = state.lastLog, now - last < logInterval { return 0 }
            state.lastLog = now
            defer { state.refusedSinceLog = 0 }
            return state.refusedSinceLog
        }
        guard let refusedToLog else { return true }
        if refusedToLog > 0 {
            logger.warning("refused HTTP connections over the per-address limit",
                           metadata: ["refused": "\(refusedToLog)", "limit": "\(limit)", "address": "\(address)"])
        }
        return false
    }

    /// Forgets a connection counted by ``open(_:now:)``.
    func close(_ address: String) {
        state.withLockedValue { state in
            guard let count = state.open[address] else { return }
            state.open[address] = count > 1 ? count - 1 : nil
        }
    }

    /// Open connections from `address` (for tests).
    func openCount(_ address: String) -> Int { state.withLockedValue { $0.open[address, default: 0] } }
}

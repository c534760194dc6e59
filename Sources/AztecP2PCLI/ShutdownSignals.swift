import Logging
import ServiceLifecycle
import UnixSignals

/// How the long-running commands end on SIGINT and SIGTERM, through swift-service-lifecycle.
enum ShutdownSignals {
    /// The signals that end a command cleanly.
    static let graceful: [UnixSignal] = [.sigterm, .sigint]

    /// Runs `services` in a `ServiceGroup` until SIGINT or SIGTERM, then shuts them down in
    /// reverse order and returns. A service's error ends the group and is rethrown.
    static func run(_ services: [any Service], label: String) async throws {
        var logger = Logger(label: label)
        logger.logLevel = .warning
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
            gracefulShutdownSignals: graceful, logger: logger))
        try await group.run()
    }

    /// Waits for the first SIGINT or SIGTERM.
    static func first() async {
        _ = await UnixSignalsSequence(trapping: graceful).first { _ in true }
    }

    /// Traps SIGINT and SIGTERM for as long as the returned task runs, setting `flag` on each.
    /// The trap is in place when this returns.
    static func trap(setting flag: LockedValue<Bool>) async -> Task<Void, Never> {
        let signals = await UnixSignalsSequence(trapping: graceful)
        return Task {
            for await _ in signals { flag.withLock { $0 = true } }
        }
    }
}

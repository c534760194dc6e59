import ServiceLifecycle

extension AztecNode: Service {
    /// Runs the node as a swift-service-lifecycle service: starts it unless it was started
    /// already, then stops it at the group's graceful shutdown or when the task is cancelled.
    ///
    /// In a `ServiceGroup` the node stops before the services listed ahead of it, so a service
    /// the node depends on (a state provider, a proof verifier) should come first.
    public func run() async throws {
        if phase == .idle { try await start() }
        // Returns at graceful shutdown, throws at cancellation: both end the node the same way.
        try? await gracefulShutdown()
        await stop()
    }
}

import ServiceLifecycle

extension DiscoveryService: Service {
    /// Serves until the service group's graceful shutdown or the task's cancellation, then
    /// stops (``stop()``). The service is already serving when ``start(key:template:config:host:port:announceIP:seeds:group:)`` returns.
    public func run() async throws {
        try? await gracefulShutdown()
        await stop()
    }
}

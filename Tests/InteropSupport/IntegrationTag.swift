import Testing

extension Tag {
    /// Suites that run other processes: py-libp2p and go-libp2p peers, or our own `aztec-p2p`
    /// binary. `make test-unit` skips them, `make test-integration` runs only them, and
    /// `make test` runs everything (`scripts/integration_suites.py` lists them).
    @Tag public static var integration: Self
}

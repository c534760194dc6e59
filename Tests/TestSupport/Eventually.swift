/// Waits until `condition` holds, checking it every 10 ms, for at most `timeout`: for state
/// that has no event to wait on (a mesh forming, a counter reaching a value). Returns whether
/// it held; the caller's `#expect` reports the failure.
public func eventually(_ timeout: Duration = .seconds(10), _ condition: () async -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while !(await condition()) {
        if ContinuousClock.now >= deadline { return false }
        try await Task.sleep(for: .milliseconds(10))
    }
    return true
}

import Foundation

/// The progress output and the final wait both devnets share.
struct DevnetConsole {
    private let tty = isatty(STDOUT_FILENO) != 0
    private var lastProgress: ContinuousClock.Instant

    init(start: ContinuousClock.Instant) { lastProgress = start }

    /// Prints `line()` at most once a second; on a terminal each line replaces the previous one.
    mutating func progress(_ line: @autoclosure () -> String) {
        guard ContinuousClock.now - lastProgress >= .seconds(1) else { return }
        lastProgress = ContinuousClock.now
        let text = line()
        if tty { print("\r\u{1B}[K" + text, terminator: "") } else { print(text) }
        fflush(nil)
    }

    /// Waits until every delivery arrived (at most 5 s, or until interrupted), then clears the
    /// progress line.
    func drain(_ collector: DevnetCollector, interrupted: LockedValue<Bool>) async throws {
        let deadline = ContinuousClock.now + .seconds(5)
        while !collector.complete, ContinuousClock.now < deadline, !interrupted.value {
            try await Task.sleep(for: .milliseconds(50))
        }
        if tty { print("\r\u{1B}[K", terminator: "") }
    }
}

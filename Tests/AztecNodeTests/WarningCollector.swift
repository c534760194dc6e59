import Logging
import Synchronization

/// A logger whose warnings (and worse) are kept for the test to read.
final class WarningCollector: Sendable {
    private let storage = Mutex<[String]>([])

    var messages: [String] { storage.withLock { $0 } }

    var logger: Logger {
        Logger(label: "test") { _ in Handler(collector: self) }
    }

    struct Handler: LogHandler {
        let collector: WarningCollector
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .warning

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            collector.storage.withLock { $0.append("\(event.message)") }
        }
    }
}

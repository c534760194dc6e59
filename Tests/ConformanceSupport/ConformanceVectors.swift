import Foundation

/// Locates the official conformance vectors for the test suites.
///
/// The rule every conformance suite follows: vectors for an area come from
/// `$CONFORMANCE_VECTORS/<area>` when that variable is set, otherwise from
/// `../shared/vectors/<area>` beside the package. When neither exists, the suite is
/// skipped visibly on a developer machine and fails when `CI` is set.
public enum ConformanceVectors {
    /// The package root (three levels above this file).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Whether the test run is a CI run, where missing vectors are a failure.
    public static var isCI: Bool {
        guard let value = ProcessInfo.processInfo.environment["CI"] else { return false }
        return !value.isEmpty && value != "0" && value.lowercased() != "false"
    }

    /// The directory holding `area`'s vectors, or `nil` when none is present.
    public static func directory(_ area: String) -> URL? {
        let candidates: [URL]
        if let root = ProcessInfo.processInfo.environment["CONFORMANCE_VECTORS"], !root.isEmpty {
            candidates = [URL(fileURLWithPath: root).appendingPathComponent(area)]
        } else {
            candidates = [packageRoot.appendingPathComponent("../shared/vectors").appendingPathComponent(area)
                .standardizedFileURL]
        }
        var isDirectory: ObjCBool = false
        return candidates.first {
            FileManager.default.fileExists(atPath: $0.path, isDirectory: &isDirectory) && isDirectory.boolValue
        }
    }

    /// Whether a suite for `area` should run: when its vectors exist, and always on CI
    /// (where a missing directory must then fail the suite).
    public static func shouldRun(_ area: String) -> Bool {
        directory(area) != nil || isCI
    }

    /// The directory for `area`, or an error explaining where it was looked for.
    public static func require(_ area: String) throws -> URL {
        guard let url = directory(area) else { throw Missing(area: area) }
        return url
    }

    /// Prints the number of cases a suite checked, so the count shows in the test log.
    public static func report(_ area: String, checked: Int, detail: String = "") {
        let suffix = detail.isEmpty ? "" : " (\(detail))"
        print("conformance \(area): \(checked) cases checked\(suffix)")
    }

    /// Prints what a suite checked and, on a second line, what it skipped and why.
    public static func report(_ area: String, _ tally: ConformanceTally, detail: String = "") {
        report(area, checked: tally.checked, detail: detail)
        if !tally.skipped.isEmpty {
            print("conformance \(area): \(tally.skippedCount) cases skipped (\(tally.skippedSummary))")
        }
    }

    /// Prints that a whole check was skipped, with the reason; the caller then cancels its test.
    public static func reportSkipped(_ area: String, reason: String) {
        print("conformance \(area): skipped (\(reason))")
    }

    /// The file at `relativePath` in `area`'s folder, or `nil` when the folder or the file is
    /// absent. Suites read only from the area folder; a missing optional file is skipped.
    public static func file(_ area: String, _ relativePath: String) -> URL? {
        guard let url = directory(area)?.appendingPathComponent(relativePath) else { return nil }
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// The names in `relativePath` (a folder of `area`), sorted; empty when it is absent.
    public static func contents(_ area: String, _ relativePath: String) throws -> [String] {
        guard let url = file(area, relativePath) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
    }

    /// Reads a file of the area as bytes.
    public static func data(_ area: String, _ relativePath: String) throws -> [UInt8] {
        let url = try require(area).appendingPathComponent(relativePath)
        return [UInt8](try Data(contentsOf: url))
    }

    /// Reads a JSON file of the area.
    public static func json(_ area: String, _ relativePath: String) throws -> Any {
        let url = try require(area).appendingPathComponent(relativePath)
        return try JSONSerialization.jsonObject(with: Data(contentsOf: url))
    }

    /// The error thrown when an area's vectors are missing.
    public struct Missing: Error, CustomStringConvertible {
        public let area: String
        public var description: String {
            "conformance vectors for '\(area)' not found (set CONFORMANCE_VECTORS or provide ../shared/vectors/\(area))"
        }
    }
}

/// What a suite did with the cases it found: how many it checked, and how many it skipped for
/// each reason (an unsupported pattern, a type it cannot name, a field it does not know).
public struct ConformanceTally: Sendable {
    /// Cases checked.
    public private(set) var checked = 0
    /// Skipped cases, counted by reason.
    public private(set) var skipped: [String: Int] = [:]

    public init() {}

    /// Counts one checked case.
    public mutating func check() { checked += 1 }

    /// Counts one case skipped for `reason`.
    public mutating func skip(_ reason: String) { skipped[reason, default: 0] += 1 }

    /// The number of skipped cases.
    public var skippedCount: Int { skipped.values.reduce(0, +) }

    /// `reason: count` pairs in a stable order.
    public var skippedSummary: String {
        skipped.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; ")
    }
}

import Foundation

/// This process's memory as Linux reports it in `/proc/self/status` (0 where there is no /proc).
enum ProcessMemory {
    /// The resident set now (`VmRSS`).
    static var residentBytes: Int { statusField("VmRSS") }

    /// The largest resident set so far (`VmHWM`).
    static var peakResidentBytes: Int { statusField("VmHWM") }

    /// A `kB` field of `/proc/self/status`, in bytes. The value follows the name after a tab and
    /// padding that shrinks to nothing at eight digits, so it is split on both.
    static func statusField(_ name: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix(name + ":") {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            return words.dropFirst().first.flatMap { Int($0) }.map { $0 * 1_024 } ?? 0
        }
        return 0
    }
}

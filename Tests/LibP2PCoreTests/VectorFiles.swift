import ConformanceSupport
import Foundation
import Testing

/// Small readers for the text vector formats (CSV, Gherkin).
enum VectorFiles {
    static func text(_ area: String, _ path: String) throws -> String {
        String(decoding: try ConformanceVectors.data(area, path), as: UTF8.self)
    }

    /// Cancels the running test, saying why, when `path` is not in `area`'s folder: suites read
    /// only from the area folder, and each file there is optional.
    static func requireFile(_ area: String, _ path: String) throws {
        guard ConformanceVectors.file(area, path) == nil else { return }
        ConformanceVectors.reportSkipped("\(area)/\(path)", reason: "file absent")
        try Test.cancel("\(area)/\(path) absent")
    }

    /// Lines of a multibase vector file: `name, "value"`, with `\xNN` escapes in the value.
    static func multibaseRows(_ text: String) -> [(name: String, value: String)] {
        text.split(whereSeparator: \.isNewline).compactMap { line in
            guard let comma = line.firstIndex(of: ",") else { return nil }
            let name = line[..<comma].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: comma)...].trimmingCharacters(in: .whitespaces)
            guard value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 else { return nil }
            value = String(value.dropFirst().dropLast())
            return (name, unescape(value))
        }
    }

    private static func unescape(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        var iterator = Array(text.unicodeScalars)[...]
        while let scalar = iterator.popFirst() {
            if scalar == "\\", iterator.first == "x", iterator.count >= 3,
               let value = UInt32(String(String.UnicodeScalarView(iterator.dropFirst().prefix(2))), radix: 16),
               let decoded = Unicode.Scalar(value) {
                scalars.append(decoded)
                iterator = iterator.dropFirst(3)
            } else {
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }
}

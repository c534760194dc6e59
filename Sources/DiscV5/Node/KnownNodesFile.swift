import ENR

/// The text of a known-nodes file: one `enr:` record per line, so a restarted node can rejoin
/// without bootnodes. Reading is bounded and skips lines that are not valid records.
public enum KnownNodesFile {
    /// Most records read from one file.
    public static let maximumRecordCount = 10_000

    /// The file text for `records`.
    public static func encode(_ records: [NodeRecord]) -> String {
        records.map { $0.textEncoding + "\n" }.joined()
    }

    /// The valid records of `text` (at most ``maximumRecordCount``; blank lines, `#` comments and
    /// invalid records are skipped).
    public static func decode(_ text: String) -> [NodeRecord] {
        var records: [NodeRecord] = []
        for line in text.split(whereSeparator: \.isNewline) {
            guard records.count < maximumRecordCount else { break }
            var trimmed = line
            while let first = trimmed.first, first == " " || first == "\t" { trimmed.removeFirst() }
            while let last = trimmed.last, last == " " || last == "\t" { trimmed.removeLast() }
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#"), trimmed.utf8.count <= 1_000 else { continue }
            if let record = try? NodeRecord(text: String(trimmed)) { records.append(record) }
        }
        return records
    }
}

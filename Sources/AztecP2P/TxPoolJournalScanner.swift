import Snappy

/// What replaying a journal file gave: the pool and what was skipped.
struct JournalScan {
    var pool: TxPool
    /// Intact records (their CRC matched), applied or, for an unknown kind, skipped.
    var records = 0
    /// Stretches of damaged bytes skipped, each followed by an intact record or the file's end.
    var damagedRegions = 0
    var damagedBytes = 0
    /// An unfinished record at the end (a write cut short by a crash).
    var tornTailBytes = 0
    var fileLength = 0

    var isDamaged: Bool { damagedRegions > 0 }

    /// Whether this scan restored more than `other` (more records; then fewer bytes lost).
    func isBetter(than other: JournalScan) -> Bool {
        records != other.records ? records > other.records : damagedBytes < other.damagedBytes
    }
}

/// Replays journal records from a ``JournalReadWindow`` into a pool. A damaged record does not
/// end the replay: the scanner looks for the next marker whose record is intact and goes on.
struct TxPoolJournalScanner {
    typealias Format = TxPoolJournalFormat

    let limits: TxLimits
    let maxLength: Int

    init(limits: TxLimits) {
        self.limits = limits
        self.maxLength = Format.maxRecordLength(limits)
    }

    /// What is at an offset.
    enum Check {
        case record(length: Int)
        /// The file ends exactly here.
        case end
        /// A record's beginning that the file's end cuts short.
        case incomplete
        case invalid
    }

    /// Replays version 2 records framed by `marker`, from `start` to the end of the file.
    func scan(_ window: inout JournalReadWindow, marker: [UInt8], from start: Int,
              into scan: inout JournalScan) throws(SystemErrno) {
        var position = start
        while true {
            let found = try check(&window, at: position, marker: marker)
            switch found {
            case .end:
                scan.fileLength = position
                return
            case .record(let length):
                apply(window, kindAt: position + Format.recordPrefix, length: length, to: &scan)
                position += Format.recordOverhead + length
                window.discard(before: position)
            case .incomplete, .invalid:
                if let next = try nextRecord(&window, after: position, marker: marker) {
                    scan.damagedRegions += 1
                    scan.damagedBytes += next - position
                    position = next
                    continue
                }
                let end = try window.skipToEnd()
                if case .incomplete = found {
                    scan.tornTailBytes = end - position
                } else {
                    scan.damagedRegions += 1
                    scan.damagedBytes += end - position
                }
                scan.fileLength = end
                return
            }
        }
    }

    /// Replays version 1 records from `start`: without markers, the first damaged record ends the replay.
    func scanLegacy(_ window: inout JournalReadWindow, from start: Int, into scan: inout JournalScan) throws(SystemErrno) {
        var position = start
        while true {
            let found = try checkLegacy(&window, at: position)
            switch found {
            case .end:
                scan.fileLength = position
                return
            case .record(let length):
                apply(window, kindAt: position + 4, length: length, to: &scan)
                position += Format.legacyRecordOverhead + length
                window.discard(before: position)
            case .incomplete, .invalid:
                let end = try window.skipToEnd()
                if case .incomplete = found {
                    scan.tornTailBytes = end - position
                } else {
                    scan.damagedRegions += 1
                    scan.damagedBytes += end - position
                }
                scan.fileLength = end
                return
            }
        }
    }

    /// The first intact record after `position`.
    private func nextRecord(_ window: inout JournalReadWindow, after position: Int, marker: [UInt8]) throws(SystemErrno) -> Int? {
        var from = position + 1
        while let candidate = try window.find(marker, from: from) {
            if case .record = try check(&window, at: candidate, marker: marker) { return candidate }
            from = candidate + 1
        }
        return nil
    }

    func check(_ window: inout JournalReadWindow, at position: Int, marker: [UInt8]) throws(SystemErrno) -> Check {
        guard try window.load(position, 1) else { return .end }
        guard try window.load(position, Format.recordPrefix) else {
            return window.matches(marker, at: position) ? .incomplete : .invalid
        }
        guard window.matches(marker, at: position) else { return .invalid }
        let length = Int(window.uint32(position + Format.markerSize))
        guard length >= 1, length <= maxLength else { return .invalid }
        guard try window.load(position, Format.recordOverhead + length) else { return .incomplete }
        let crc = CRC32C.checksum(window.bytes(position + Format.markerSize, 4 + length))
        return crc == window.uint32(position + Format.recordPrefix + length) ? .record(length: length) : .invalid
    }

    private func checkLegacy(_ window: inout JournalReadWindow, at position: Int) throws(SystemErrno) -> Check {
        guard try window.load(position, 1) else { return .end }
        guard try window.load(position, 4) else { return .incomplete }
        let length = Int(window.uint32(position))
        guard length >= 1, length <= maxLength else { return .invalid }
        guard try window.load(position, Format.legacyRecordOverhead + length) else { return .incomplete }
        let crc = CRC32C.checksum(window.bytes(position + 4, length))
        return crc == window.uint32(position + 4 + length) ? .record(length: length) : .invalid
    }

    private func apply(_ window: JournalReadWindow, kindAt offset: Int, length: Int, to scan: inout JournalScan) {
        Format.apply(kind: window[offset], body: window.bytes(offset + 1, length - 1), to: &scan.pool, limits: limits)
        scan.records += 1
    }
}

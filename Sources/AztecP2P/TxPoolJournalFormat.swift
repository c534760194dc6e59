import Snappy

/// The journal's file format.
///
/// Version 2 (written): the 8-byte magic `AZTXPJ02`, an 8-byte sync marker drawn at random each
/// time the file is written from scratch, then records
/// `[marker: 8][len: u32 LE][kind: u8][body][crc32c(len ‖ kind ‖ body): u32 LE]`, where `len`
/// counts kind and body and is at most ``maxRecordLength(_:)``. Kinds: 1 = added (`receivedAt`
/// seconds i64 LE, attoseconds i64 LE, SSZ of the transaction); 2 = removed (32-byte hash);
/// 3 = block (u64 LE number).
///
/// The marker before every record lets a reader that meets a damaged record (or a damaged length)
/// scan forward to the next record and go on. It is secret to the node, so a transaction whose
/// bytes imitate a record (its proof is attacker-chosen) cannot be mistaken for one.
///
/// Version 1 (`AZTXPJ01`, read only, migrated to version 2 at open): records
/// `[len: u32 LE][kind: u8][body][crc32c(kind ‖ body): u32 LE]`, no marker.
enum TxPoolJournalFormat {
    static let magic: [UInt8] = Array("AZTXPJ02".utf8)
    static let legacyMagic: [UInt8] = Array("AZTXPJ01".utf8)
    static let markerSize = 8
    /// Magic and marker.
    static let headerSize = 16
    /// Marker and length: the bytes before the kind.
    static let recordPrefix = 12
    /// Marker, length and CRC.
    static let recordOverhead = 16
    /// Length and CRC of a version 1 record.
    static let legacyRecordOverhead = 8

    enum Kind: UInt8 {
        case added = 1
        case removed = 2
        case block = 3
    }

    /// The largest `len` read: a record holds one transaction, so anything longer is damage.
    static func maxRecordLength(_ limits: TxLimits) -> Int { max(16 << 20, limits.maxTransactionBytes) + 64 }

    /// A fresh sync marker: random, and not one byte repeated (zero-filled damage must not match it).
    static func randomMarker() -> [UInt8] {
        var rng = SystemRandomNumberGenerator()
        while true {
            let value = rng.next() as UInt64
            let marker = (0..<markerSize).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
            if Set(marker).count > 1 { return marker }
        }
    }

    static func header(marker: [UInt8]) -> [UInt8] { magic + marker }

    /// Appends `record`, framed with `marker`, to `out`.
    static func append(_ record: TxPoolJournal.Record, marker: [UInt8], to out: inout [UInt8]) {
        out += marker
        let lengthAt = out.count
        out += [0, 0, 0, 0]
        record.appendKindAndBody(to: &out)
        let length = UInt32(out.count - lengthAt - 4)
        for i in 0..<4 { out[lengthAt + i] = UInt8(truncatingIfNeeded: length >> (8 * UInt32(i))) }
        out.appendLittleEndian32(CRC32C.checksum(out[lengthAt...]))
    }

    /// Applies one record's `kind` and `body` to `pool`. A record this version does not
    /// understand (an unknown kind or a malformed body, though its CRC matched) is skipped.
    static func apply(kind: UInt8, body: ArraySlice<UInt8>, to pool: inout TxPool, limits: TxLimits) {
        switch Kind(rawValue: kind) {
        case .added where body.count >= 16:
            let seconds = Int64(bitPattern: body.littleEndian64(at: body.startIndex))
            let attoseconds = Int64(bitPattern: body.littleEndian64(at: body.startIndex + 8))
            let ssz = Array(body.dropFirst(16))
            // A transaction the current limits refuse, or that no longer fits, is dropped like at admission.
            if let tx = try? TxWireCodec.decode(ssz: ssz, limits: limits) {
                _ = pool.insert(tx, size: ssz.count, now: Duration(secondsComponent: seconds, attosecondsComponent: attoseconds))
            }
        case .removed where body.count == 32:
            if let hash = TxHash(bytes: body) { pool.remove(hash) }
        case .block where body.count == 8:
            pool.setLatestBlock(body.littleEndian64(at: body.startIndex))
        default:
            break
        }
    }
}

extension Array where Element == UInt8 {
    mutating func appendLittleEndian32(_ v: UInt32) {
        for i in 0..<4 { append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(i)))) }
    }

    mutating func appendLittleEndian64(_ v: UInt64) {
        for i in 0..<8 { append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) }
    }
}

extension Collection where Element == UInt8, Index == Int {
    /// The little-endian u32 at `offset` (the caller checked the bounds).
    func littleEndian32(at offset: Int) -> UInt32 {
        UInt32(self[offset]) | UInt32(self[offset + 1]) << 8 | UInt32(self[offset + 2]) << 16 | UInt32(self[offset + 3]) << 24
    }

    /// The little-endian u64 at `offset` (the caller checked the bounds).
    func littleEndian64(at offset: Int) -> UInt64 {
        UInt64(littleEndian32(at: offset)) | UInt64(littleEndian32(at: offset + 4)) << 32
    }
}

import ConformanceSupport
import Testing
@testable import LibP2PCore
@testable import Multiformats

@Suite struct MultibaseTests {
    /// Every `multibase/*.csv`: the header row's input, encoded with each listed base, gives the
    /// row's text and decodes back. Files whose header is not `encoding` (`case_insensitivity.csv`:
    /// `non-canonical encoding`) are decoded only. A base this package lacks is skipped.
    @Test(.enabled(if: ConformanceVectors.shouldRun("peer-ids")))
    func vectorFiles() throws {
        let files = try ConformanceVectors.contents("peer-ids", "multibase").filter { $0.hasSuffix(".csv") }
        guard !files.isEmpty else {
            ConformanceVectors.reportSkipped("peer-ids/multibase", reason: "no multibase/*.csv")
            try Test.cancel("no multibase/*.csv")
        }
        for file in files {
            let rows = VectorFiles.multibaseRows(try VectorFiles.text("peer-ids", "multibase/" + file))
            let header = try #require(rows.first, "\(file) is empty")
            // `encoding` rows are canonical; any other header (`non-canonical encoding`) is decoded only.
            let decodeOnly = file.hasPrefix("case_insensitivity") || header.name != "encoding"
            let input = Array(header.value.utf8)
            var tally = ConformanceTally()
            for row in rows.dropFirst() {
                guard let base = Multibase(rawValue: row.name) else {
                    tally.skip("base \(row.name) not supported")
                    continue
                }
                if !decodeOnly { #expect(base.encode(input) == row.value, "\(file) \(row.name) encode") }
                let decoded = try Multibase.decode(row.value)
                #expect(decoded.base == base, "\(file) \(row.name) prefix")
                #expect(decoded.bytes == input, "\(file) \(row.name) decode")
                tally.check()
            }
            #expect(tally.checked > 0, "\(file): no row checked")
            ConformanceVectors.report("peer-ids/multibase/\(file)", tally, detail: decodeOnly ? "decode" : "encode + decode")
        }
    }

    @Test func everyBaseRoundTripsEdgeCases() throws {
        let inputs: [[UInt8]] = [[], [0], [0, 0], [0, 0, 1], [0xff], Array(0...255), [1, 2, 3, 4, 5, 6, 7]]
        for base in Multibase.allCases where base != .identity {
            for input in inputs {
                let text = base.encode(input)
                let decoded = try Multibase.decode(text)
                #expect(decoded.base == base)
                #expect(decoded.bytes == input, "\(base) \(input.count) bytes")
            }
        }
        #expect(try Multibase.decode("\u{0}hello").bytes == Array("hello".utf8))
    }

    @Test func base58LeadingZeros() throws {
        #expect(Multibase.base58BTC.encodeWithoutPrefix([0, 0, 0]) == "111")
        #expect(try Multibase.base58BTC.decodeWithoutPrefix("111") == [0, 0, 0])
        #expect(try Multibase.base58BTC.decodeWithoutPrefix("11z") == [0, 0, 57])
    }

    @Test func rejectsBadInput() {
        #expect(throws: MultibaseError.empty) { try Multibase.decode("") }
        #expect(throws: MultibaseError.unknownPrefix("x")) { try Multibase.decode("xabc") }
        // Base58 has no 0, O, I or l.
        #expect(throws: MultibaseError.invalidCharacter(offset: 2)) { try Multibase.decode("z120") }
        #expect(throws: MultibaseError.invalidCharacter(offset: 0)) { try Multibase.decode("zl") }
        #expect(throws: MultibaseError.invalidCharacter(offset: 1)) { try Multibase.decode("fa!") }
        // One base32 character carries only 5 bits: no byte.
        #expect(throws: MultibaseError.invalidLength) { try Multibase.decode("ba") }
        #expect(throws: MultibaseError.invalidLength) { try Multibase.decode("fabc") }
        // Non-zero bits after the data.
        #expect(throws: MultibaseError.nonZeroTrailingBits) { try Multibase.decode("mAB") }
        // Padding: required exactly for the padded variants, refused by the others.
        #expect(throws: MultibaseError.invalidLength) { try Multibase.decode("MAA=") }
        #expect(throws: MultibaseError.invalidLength) { try Multibase.decode("MAA") }
        #expect(throws: MultibaseError.invalidCharacter(offset: 2)) { try Multibase.decode("mAA==") }
        #expect(throws: MultibaseError.invalidCharacter(offset: 2)) { try Multibase.decode("MAA=A") }
        // The quadratic bases are capped.
        let long = "z" + String(repeating: "2", count: Multibase.maxBigNumberTextLength + 1)
        #expect(throws: MultibaseError.tooLong(length: Multibase.maxBigNumberTextLength + 1,
                                              limit: Multibase.maxBigNumberTextLength)) {
            try Multibase.decode(long)
        }
        #expect(throws: MultibaseError.tooLong(length: 10, limit: 4)) { try Multibase.decode("f0000000000", maxLength: 4) }
        #expect(throws: MultibaseError.invalidCharacter(offset: 0)) { try Multibase.decode("\u{1F680}a") }
    }
}

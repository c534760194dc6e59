import ConformanceSupport
import Testing
@testable import Snappy

@Suite(.enabled(if: ConformanceVectors.shouldRun("snappy")))
struct SnappyFrameConformanceTests {
    @Test func testdataRoundTrips() throws {
        try requireSnappyFile("testdata", for: "testdata-framing-roundtrip")
        let names = try testdataNames()
        #expect(names.count > 0)
        for name in names {
            let original = try ConformanceVectors.data("snappy", "testdata/\(name)")
            let framed = SnappyFrame.encode(original)
            #expect(try SnappyFrame.decode(framed, maxLength: original.count) == original, "\(name)")
        }
        ConformanceVectors.report("snappy/testdata-framing-roundtrip", checked: names.count)
    }

    @Test func compressedTestdataDecodes() throws {
        try requireSnappyFile("testdata-compressed", for: "testdata-compressed-sz")
        var tally = ConformanceTally()
        for name in try testdataNames() {
            guard ConformanceVectors.file("snappy", "testdata-compressed/\(name).sz") != nil else {
                tally.skip("no .sz for a testdata file")
                continue
            }
            let original = try ConformanceVectors.data("snappy", "testdata/\(name)")
            let framed = try ConformanceVectors.data("snappy", "testdata-compressed/\(name).sz")
            #expect(try SnappyFrame.decode(framed, maxLength: original.count) == original, "\(name)")
            #expect(try decodeIncrementally(framed, pieceSize: 1, maxLength: original.count) == original, "\(name)")
            if !original.isEmpty {
                #expect(throws: SnappyError.self, "\(name)") { try SnappyFrame.decode(framed, maxLength: original.count - 1) }
            }
            // Our encoder frames exactly as the reference (the Rust snap crate) does: same chunking,
            // same compressed-or-not choice, same checksums, and libsnappy's blocks equal snap's.
            #expect(SnappyFrame.encode(original) == framed, "\(name)")
            tally.check()
        }
        try skipCompressedWithoutOriginal(suffix: ".sz", into: &tally)
        ConformanceVectors.report("snappy/testdata-compressed-sz", tally)
        #expect(tally.checked > 0)
    }

    @Test func framingDecodeSuite() throws {
        try requireSnappyFile("framing/snappy_framing_decode.json", for: "framing")
        let cases = try decodeCases("framing/snappy_framing_decode.json")
        #expect(cases.count > 0)
        for testCase in cases {
            let whole = Result { () throws(SnappyError) in try SnappyFrame.decode(testCase.input, maxLength: 1 << 24) }
            let incremental = Result { () throws(SnappyError) in
                try decodeIncrementally(testCase.input, pieceSize: 1, maxLength: 1 << 24)
            }
            if testCase.valid {
                #expect(try whole.get() == testCase.expected, "\(testCase.desc)")
                #expect(try incremental.get() == testCase.expected, "\(testCase.desc)")
            } else {
                #expect(throws: SnappyError.self, "\(testCase.desc)") { try whole.get() }
                #expect(throws: SnappyError.self, "\(testCase.desc)") { try incremental.get() }
            }
        }
        ConformanceVectors.report(
            "snappy/framing", checked: cases.count,
            detail: "\(cases.filter(\.valid).count) valid, \(cases.filter { !$0.valid }.count) invalid")
    }
}

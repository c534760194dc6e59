import ConformanceSupport
import Testing
@testable import Snappy

@Suite(.enabled(if: ConformanceVectors.shouldRun("snappy")))
struct SnappyBlockConformanceTests {
    @Test func goldenOpticks() throws {
        try requireSnappyFile("golden/Isaac.Newton-Opticks.txt", for: "golden")
        try requireSnappyFile("golden/Isaac.Newton-Opticks.txt.rawsnappy", for: "golden")
        let text = try ConformanceVectors.data("snappy", "golden/Isaac.Newton-Opticks.txt")
        let compressed = try ConformanceVectors.data("snappy", "golden/Isaac.Newton-Opticks.txt.rawsnappy")
        #expect(try SnappyBlock.decompress(compressed, maxLength: text.count) == text)
        // libsnappy's encoder produces exactly the golden bytes.
        #expect(try SnappyBlock.compress(text) == compressed)
        ConformanceVectors.report("snappy/golden", checked: 1)
    }

    @Test func testdataRoundTrips() throws {
        try requireSnappyFile("testdata", for: "testdata-block-roundtrip")
        let names = try testdataNames()
        #expect(names.count > 0)
        for name in names {
            let original = try ConformanceVectors.data("snappy", "testdata/\(name)")
            let compressed = try SnappyBlock.compress(original)
            #expect(try SnappyBlock.decompress(compressed, maxLength: original.count) == original, "\(name)")
        }
        ConformanceVectors.report("snappy/testdata-block-roundtrip", checked: names.count)
    }

    @Test func compressedTestdataDecompresses() throws {
        try requireSnappyFile("testdata-compressed", for: "testdata-compressed-rawsnappy")
        var tally = ConformanceTally()
        for name in try testdataNames() {
            guard ConformanceVectors.file("snappy", "testdata-compressed/\(name).rawsnappy") != nil else {
                tally.skip("no .rawsnappy for a testdata file")
                continue
            }
            let original = try ConformanceVectors.data("snappy", "testdata/\(name)")
            let compressed = try ConformanceVectors.data("snappy", "testdata-compressed/\(name).rawsnappy")
            #expect(try SnappyBlock.decompress(compressed, maxLength: original.count) == original, "\(name)")
            #expect(SnappyBlock.isValid(compressed, maxLength: original.count), "\(name)")
            // libsnappy's encoder produces the same bytes as the reference encoder (the Rust snap crate).
            #expect(try SnappyBlock.compress(original) == compressed, "\(name)")
            tally.check()
        }
        try skipCompressedWithoutOriginal(suffix: ".rawsnappy", into: &tally)
        ConformanceVectors.report("snappy/testdata-compressed-rawsnappy", tally)
        #expect(tally.checked > 0)
    }

    @Test func badDataRejectedWithoutHugeLength() throws {
        let names = try badDataNames()
        guard !names.isEmpty else {
            ConformanceVectors.reportSkipped("snappy/baddata", reason: "no testdata/baddata* files")
            try Test.cancel("no testdata/baddata* files")
        }
        for name in names {
            let bytes = try ConformanceVectors.data("snappy", "testdata/\(name)")
            if let declared = try? SnappyBlock.uncompressedLength(bytes) {
                #expect(declared < 1 << 20, "\(name) reports \(declared)")
            }
            #expect(!SnappyBlock.isValid(bytes, maxLength: Int(UInt32.max)), "\(name)")
            #expect(throws: SnappyError.self, "\(name)") { try SnappyBlock.decompress(bytes, maxLength: 1 << 24) }
        }
        ConformanceVectors.report("snappy/baddata", checked: names.count)
    }

    @Test func blockDecodeSuite() throws {
        try requireSnappyFile("block/snappy_block_decode.json", for: "block")
        let cases = try decodeCases("block/snappy_block_decode.json")
        #expect(cases.count > 0)
        for testCase in cases {
            let result = Result { () throws(SnappyError) in try SnappyBlock.decompress(testCase.input, maxLength: 1 << 24) }
            if testCase.valid {
                #expect(try result.get() == testCase.expected, "\(testCase.desc)")
                #expect(SnappyBlock.isValid(testCase.input, maxLength: 1 << 24), "\(testCase.desc)")
            } else {
                #expect(throws: SnappyError.self, "\(testCase.desc)") { try result.get() }
                #expect(!SnappyBlock.isValid(testCase.input, maxLength: 1 << 24), "\(testCase.desc)")
            }
        }
        ConformanceVectors.report(
            "snappy/block", checked: cases.count,
            detail: "\(cases.filter(\.valid).count) valid, \(cases.filter { !$0.valid }.count) invalid")
    }
}

import ConformanceSupport
import Foundation
import Testing
import TestSupport

/// Inputs with different compressibility: empty, tiny, text-like, random, and mixed.
func sampleInputs() -> [SampleInput] {
    var random = SeededRandom(seed: 42)
    let text = Array(String(repeating: "the quick brown fox jumps over the lazy dog 0123456789\n", count: 3000).utf8)
    let inputs: [[UInt8]] = [
        [], [0x61], Array("abcd".utf8), random.bytes(100), text, random.bytes(200_000),
        text + random.bytes(70_000) + text, [UInt8](repeating: 0, count: 65536), [UInt8](repeating: 7, count: 65537),
    ]
    return inputs.enumerated().map { SampleInput(index: $0.offset, bytes: $0.element) }
}

/// A sample input that describes itself by its size, so test logs stay short.
struct SampleInput: CustomTestStringConvertible, Sendable {
    let index: Int
    let bytes: [UInt8]
    var testDescription: String { "sample \(index) (\(bytes.count) bytes)" }
}

/// The vector-corpus files that are valid input (`baddata*` are corrupt blocks, checked separately).
func testdataNames() throws -> [String] {
    try ConformanceVectors.contents("snappy", "testdata").filter { !$0.hasPrefix("baddata") && !$0.hasPrefix(".") }
}

/// The corrupt block-format inputs of the corpus (`testdata/baddata*`).
func badDataNames() throws -> [String] {
    try ConformanceVectors.contents("snappy", "testdata").filter { $0.hasPrefix("baddata") }
}

/// Cancels the running test, saying why, when `relativePath` is not in the snappy folder.
func requireSnappyFile(_ relativePath: String, for check: String) throws {
    guard ConformanceVectors.file("snappy", relativePath) == nil else { return }
    ConformanceVectors.reportSkipped("snappy/\(check)", reason: "\(relativePath) absent")
    try Test.cancel("\(relativePath) absent")
}

/// The cases of one of the JSON decode suites.
struct DecodeCase {
    let desc: String
    let input: [UInt8]
    let valid: Bool
    let expected: [UInt8]?
}

func decodeCases(_ relativePath: String) throws -> [DecodeCase] {
    guard let root = try ConformanceVectors.json("snappy", relativePath) as? [String: Any],
          let cases = root["cases"] as? [[String: Any]]
    else { throw VectorFormatError(path: relativePath) }
    return try cases.map { entry in
        guard let desc = entry["desc"] as? String,
              let inputHex = entry["input"] as? String, let input = Hex.decode(inputHex),
              let valid = entry["valid"] as? Bool
        else { throw VectorFormatError(path: relativePath) }
        var expected: [UInt8]?
        if valid {
            guard let hex = entry["expected"] as? String, let bytes = Hex.decode(hex) else {
                throw VectorFormatError(path: relativePath)
            }
            expected = bytes
        }
        return DecodeCase(desc: desc, input: input, valid: valid, expected: expected)
    }
}

struct VectorFormatError: Error { let path: String }

/// Reports as skipped each `testdata-compressed` file ending in `suffix` whose original is absent.
func skipCompressedWithoutOriginal(suffix: String, into tally: inout ConformanceTally) throws {
    for name in try ConformanceVectors.contents("snappy", "testdata-compressed") where name.hasSuffix(suffix) {
        if ConformanceVectors.file("snappy", "testdata/\(name.dropLast(suffix.count))") == nil {
            tally.skip("no testdata original for a \(suffix)")
        }
    }
}

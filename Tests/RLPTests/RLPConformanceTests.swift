import ConformanceSupport
import Foundation
import Testing
@testable import RLP

/// Big-endian minimal bytes of a non-negative decimal integer of any size.
func bigEndian(decimal: String) throws -> [UInt8] {
    var bytes = [UInt8]()  // little-endian while building
    for character in decimal.utf8 {
        guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(character) else { throw VectorError("bad decimal \(decimal)") }
        var carry = Int(character - UInt8(ascii: "0"))
        for index in bytes.indices {
            let value = Int(bytes[index]) * 10 + carry
            bytes[index] = UInt8(value & 0xff)
            carry = value >> 8
        }
        while carry > 0 { bytes.append(UInt8(carry & 0xff)); carry >>= 8 }
    }
    return bytes.reversed()
}

struct VectorError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The ethereum/tests RLP `in` value as an item: strings are bytes (`#` strings big integers),
/// numbers unsigned integers, arrays lists.
func item(fromJSON value: Any) throws -> RLPItem {
    if let text = value as? String {
        if text.hasPrefix("#") { return .bytes(try bigEndian(decimal: String(text.dropFirst()))) }
        return .bytes(Array(text.utf8))
    }
    if let array = value as? [Any] { return .list(try array.map(item(fromJSON:))) }
    if let number = value as? NSNumber {
        guard let integer = UInt64(exactly: number.doubleValue) ?? UInt64(number.stringValue) else {
            throw VectorError("not an unsigned integer: \(number)")
        }
        return .uint(integer)
    }
    throw VectorError("unexpected JSON value \(value)")
}

@Suite(.enabled(if: ConformanceVectors.shouldRun("enr")))
struct RLPConformanceTests {
    /// Cancels the running test, saying why, when `relativePath` is not in the enr folder.
    static func requireFile(_ relativePath: String) throws {
        guard ConformanceVectors.file("enr", relativePath) == nil else { return }
        ConformanceVectors.reportSkipped("enr/\(relativePath)", reason: "file absent")
        try Test.cancel("\(relativePath) absent")
    }

    @Test func validVectorsEncodeAndDecode() throws {
        try Self.requireFile("rlp/rlptest.json")
        let cases = try #require(try ConformanceVectors.json("enr", "rlp/rlptest.json") as? [String: Any])
        #expect(cases.count > 0)
        var checked = 0
        for (name, body) in cases.sorted(by: { $0.key < $1.key }) {
            let fields = try #require(body as? [String: Any], "\(name)")
            let out = try #require(fields["out"] as? String, "\(name)")
            let expected = try #require(Hex.decode(out), "\(name)")
            let input = try #require(fields["in"], "\(name)")
            let value = try item(fromJSON: input)
            #expect(value.encoded == expected, "\(name): encode")
            #expect(value.encodedCount == expected.count, "\(name): encodedCount")
            #expect(try RLP.decode(expected) == value, "\(name): decode")
            #expect(throws: Never.self, "\(name): validate") { try RLP.validate(expected[...]) }
            // Integers read back through the reader as integers.
            if let number = fields["in"] as? NSNumber, !(fields["in"] is String) {
                var reader = RLPReader(expected[...])
                #expect(try reader.readUInt64() == UInt64(number.stringValue), "\(name): readUInt64")
            }
            checked += 1
        }
        ConformanceVectors.report("enr/rlp-valid", checked: checked)
    }

    @Test func invalidVectorsAreRejected() throws {
        try Self.requireFile("rlp/invalidRLPTest.json")
        let cases = try #require(try ConformanceVectors.json("enr", "rlp/invalidRLPTest.json") as? [String: Any])
        #expect(cases.count > 0)
        var checked = 0
        for (name, body) in cases.sorted(by: { $0.key < $1.key }) {
            let fields = try #require(body as? [String: Any], "\(name)")
            let out = try #require(fields["out"] as? String, "\(name)")
            let input = try #require(Hex.decode(out), "\(name)")
            #expect(throws: RLPError.self, "\(name): decode") { try RLP.decode(input) }
            #expect(throws: RLPError.self, "\(name): validate") { try RLP.validate(input[...]) }
            checked += 1
        }
        ConformanceVectors.report("enr/rlp-invalid", checked: checked)
    }
}

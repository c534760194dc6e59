import Foundation
import Testing
@testable import AztecP2P

@Suite struct JSONParserTests {
    let parser = JSONParser()

    @Test func parsesEveryKindOfValue() throws {
        let text = #" {"a": [1, -2, 3.5, 1e3, true, false, null], "b": "x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00", "c": {}} "#
        let value = try parser.parse(Array(text.utf8))
        #expect(value == .object([
            "a": .array([.integer(1), .integer(-2), .number("3.5"), .number("1e3"), .bool(true), .bool(false), .null]),
            "b": .string("x\"\\/\u{8}\u{c}\n\r\té😀"),
            "c": .object([:]),
        ]))
    }

    @Test func integersOutsideInt64KeepTheirText() throws {
        #expect(try parser.parse(Array("9223372036854775807".utf8)) == .integer(.max))
        #expect(try parser.parse(Array("9223372036854775808".utf8)) == .number("9223372036854775808"))
        #expect(try parser.parse(Array("123456789012345678901234567890".utf8)) == .number("123456789012345678901234567890"))
    }

    @Test func refusesWhatRFC8259Refuses() {
        let bad = ["", "[", "{", "[1,]", "{\"a\"}", "{\"a\":1,}", "01", "-", "1.", ".5", "1e", "+1", "tru", "nul",
                   "\"\\x\"", "\"\u{1}\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "[1] 2", "{1:2}", "'a'",
                   "NaN", "Infinity"]
        for text in bad {
            #expect(throws: JSONParseError.self, "accepted \(text.debugDescription)") { try parser.parse(Array(text.utf8)) }
        }
        #expect(throws: JSONParseError.self) { try parser.parse([0x22, 0xFF, 0x22]) }
    }

    @Test func nestingStopsAtTheLimit() throws {
        let limited = JSONParser(maxDepth: 4)
        #expect(try limited.parse(Array("[[[[1]]]]".utf8)) != .null)
        #expect(throws: JSONParseError(kind: .tooDeep(limit: 4), offset: 4)) {
            try limited.parse(Array("[[[[[1]]]]]".utf8))
        }
        #expect(throws: JSONParseError.self) { try limited.parse(Array(#"{"a":{"a":{"a":{"a":{"a":1}}}}}"#.utf8)) }
        // 100,000 open brackets fail at the limit, not on the stack.
        #expect(throws: JSONParseError.self) { try parser.parse(Array(repeating: UInt8(ascii: "["), count: 100_000)) }
    }

    /// What Foundation writes, this parser reads back as the value written, over random documents
    /// of the shapes JSON-RPC requests take; and what ``JSONOutput`` writes reads back the same.
    @Test func readsWhatFoundationWrites() throws {
        var rng = SplitMix64(seed: 0x15_0A)
        for _ in 0..<500 {
            let (value, object) = randomValue(depth: 0, &rng)
            let data = try JSONSerialization.data(withJSONObject: object, options: [.fragmentsAllowed])
            #expect(try parser.parse([UInt8](data)) == value)
            #expect(try parser.parse(JSONOutput(value).serialized) == value)
        }
    }

    /// A random value, and the same as Foundation objects.
    private func randomValue(depth: Int, _ rng: inout SplitMix64) -> (JSONValue, Any) {
        switch rng.next() % (depth > 3 ? 4 : 6) {
        case 0:
            let n = Int64(bitPattern: rng.next()) >> Int64(rng.next() % 64)
            return (.integer(n), NSNumber(value: n))
        case 1:
            let text = String((0..<Int(rng.next() % 12)).map { _ in Character(Unicode.Scalar(UInt8(rng.next() % 128))) }) + "é😀"
            return (.string(text), text)
        case 2:
            let flag = rng.next() % 2 == 0
            return (.bool(flag), NSNumber(value: flag))
        case 3: return (.null, NSNull())
        case 4:
            let elements = (0..<Int(rng.next() % 4)).map { _ in randomValue(depth: depth + 1, &rng) }
            return (.array(elements.map(\.0)), elements.map(\.1))
        default:
            var value: [String: JSONValue] = [:]
            var object: [String: Any] = [:]
            for i in 0..<Int(rng.next() % 4) {
                let (v, o) = randomValue(depth: depth + 1, &rng)
                value["k\(i)"] = v
                object["k\(i)"] = o
            }
            return (.object(value), object)
        }
    }
}

extension JSONOutput {
    /// The same value, to write back (test helper).
    init(_ value: JSONValue) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .integer(let i): self = .integer(i)
        case .number(let text): self = .number(text)
        case .string(let s): self = .string(s)
        case .array(let elements): self = .array(elements.map(JSONOutput.init))
        case .object(let members): self = .object(members.sorted { $0.key < $1.key }.map { .init($0.key, JSONOutput($0.value)) })
        }
    }
}

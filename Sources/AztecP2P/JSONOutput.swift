/// A JSON value to write: what the JSON-RPC handler answers with.
///
/// Written by hand rather than through `JSONSerialization` (which takes `Any`): the output is typed,
/// objects keep the order their members are given in, numbers that arrived as text go back
/// unchanged (``JSONValue/number(_:)``), and each response's size is known as it is written, so a
/// batch can stop at its response budget.
enum JSONOutput: Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int64)
    /// A number's JSON text, written as it is (it must be a valid JSON number).
    case number(String)
    case string(String)
    case array([JSONOutput])
    case object([Member])

    struct Member: Sendable, Hashable {
        let key: String
        let value: JSONOutput

        init(_ key: String, _ value: JSONOutput) {
            self.key = key
            self.value = value
        }
    }

    static func int(_ value: Int) -> JSONOutput { .integer(Int64(value)) }

    /// A `Double` as a JSON number; `null` for NaN and the infinities, which JSON cannot hold.
    static func double(_ value: Double) -> JSONOutput {
        value.isFinite ? .number("\(value)") : .null
    }

    /// The UTF-8 JSON text.
    var serialized: [UInt8] {
        var out: [UInt8] = []
        write(to: &out)
        return out
    }

    func write(to out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
        case .integer(let value): out.append(contentsOf: String(value).utf8)
        case .number(let text): out.append(contentsOf: text.utf8)
        case .string(let text): Self.writeString(text, to: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                element.write(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                Self.writeString(member.key, to: &out)
                out.append(UInt8(ascii: ":"))
                member.value.write(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func writeString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                out.append(contentsOf: Array(#"\u00"#.utf8))
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

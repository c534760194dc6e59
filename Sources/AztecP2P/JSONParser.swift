/// Why a JSON text was refused, and where.
struct JSONParseError: Error, Hashable, Sendable, CustomStringConvertible {
    enum Kind: Hashable, Sendable {
        case unexpectedEnd
        case unexpectedByte(UInt8)
        case invalidString
        case invalidNumber
        /// Arrays and objects nested deeper than the parser's limit.
        case tooDeep(limit: Int)
        case trailingBytes
    }

    let kind: Kind
    /// Byte offset at which the text was refused.
    let offset: Int

    var description: String {
        switch kind {
        case .unexpectedEnd: "unexpected end of JSON"
        case .unexpectedByte(let byte): "unexpected byte 0x\(String(byte, radix: 16)) at offset \(offset)"
        case .invalidString: "invalid string at offset \(offset)"
        case .invalidNumber: "invalid number at offset \(offset)"
        case .tooDeep(let limit): "JSON nested deeper than \(limit) levels"
        case .trailingBytes: "bytes after the JSON value at offset \(offset)"
        }
    }
}

/// A strict RFC 8259 parser into ``JSONValue``, in one pass over the bytes.
///
/// Why not Foundation: `JSONDecoder` into a recursive enum tried each type in turn at every level,
/// and a 1 KB body nested 509 levels deep took 1.5 s of CPU (cost grew about as the cube of the
/// depth). This parser looks at each byte a bounded number of times, so its cost is linear in the
/// body, and it refuses nesting deeper than ``maxDepth`` before doing any work for it. It also keeps
/// numbers' text (``JSONValue/number(_:)``). Strings must be valid UTF-8 with valid escapes;
/// control characters must be escaped; a lone surrogate escape is refused.
struct JSONParser {
    /// Deepest nesting of arrays and objects accepted. A JSON-RPC batch needs 4
    /// (batch, request, params, a structured parameter).
    let maxDepth: Int

    init(maxDepth: Int = 16) {
        self.maxDepth = maxDepth
    }

    func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        var cursor = Cursor(bytes: bytes, maxDepth: maxDepth)
        cursor.skipWhitespace()
        let value = try cursor.value(depth: 0)
        cursor.skipWhitespace()
        guard cursor.atEnd else { throw JSONParseError(kind: .trailingBytes, offset: cursor.offset) }
        return value
    }
}

private struct Cursor {
    let bytes: [UInt8]
    let maxDepth: Int
    var offset = 0

    init(bytes: [UInt8], maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    var atEnd: Bool { offset >= bytes.count }

    mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x09, 0x0A, 0x0D: offset += 1
            default: return
            }
        }
    }

    func peek() throws(JSONParseError) -> UInt8 {
        guard offset < bytes.count else { throw JSONParseError(kind: .unexpectedEnd, offset: offset) }
        return bytes[offset]
    }

    func unexpected() -> JSONParseError {
        offset < bytes.count ? JSONParseError(kind: .unexpectedByte(bytes[offset]), offset: offset)
            : JSONParseError(kind: .unexpectedEnd, offset: offset)
    }

    mutating func value(depth: Int) throws(JSONParseError) -> JSONValue {
        switch try peek() {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw unexpected()
        }
    }

    mutating func literal(_ word: StaticString) throws(JSONParseError) {
        let count = word.utf8CodeUnitCount
        guard bytes.count - offset >= count else { throw JSONParseError(kind: .unexpectedEnd, offset: offset) }
        let matches = word.withUTF8Buffer { expected in
            (0..<count).allSatisfy { bytes[offset + $0] == expected[$0] }
        }
        guard matches else { throw unexpected() }
        offset += count
    }

    mutating func array(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= maxDepth else { throw JSONParseError(kind: .tooDeep(limit: maxDepth), offset: offset) }
        offset += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if try peek() == UInt8(ascii: "]") {
            offset += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try value(depth: depth))
            skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "]"): offset += 1; return .array(elements)
            default: throw unexpected()
            }
        }
    }

    mutating func object(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= maxDepth else { throw JSONParseError(kind: .tooDeep(limit: maxDepth), offset: offset) }
        offset += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if try peek() == UInt8(ascii: "}") {
            offset += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard try peek() == UInt8(ascii: "\"") else { throw unexpected() }
            let key = try string()
            skipWhitespace()
            guard try peek() == UInt8(ascii: ":") else { throw unexpected() }
            offset += 1
            skipWhitespace()
            members[key] = try value(depth: depth)
            skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "}"): offset += 1; return .object(members)
            default: throw unexpected()
            }
        }
    }

    /// A string starting at the opening quote; the cursor ends after the closing quote.
    mutating func string() throws(JSONParseError) -> String {
        let start = offset
        offset += 1
        // Fast path: no escapes, ASCII or valid UTF-8 copied as one slice.
        var end = offset
        while end < bytes.count {
            let byte = bytes[end]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            end += 1
        }
        guard end < bytes.count else { throw JSONParseError(kind: .unexpectedEnd, offset: end) }
        if bytes[end] == UInt8(ascii: "\"") {
            guard let text = String(validating: bytes[offset..<end], as: UTF8.self) else {
                throw JSONParseError(kind: .invalidString, offset: start)
            }
            offset = end + 1
            return text
        }
        var decoded = Array(bytes[offset..<end])
        offset = end
        while true {
            guard offset < bytes.count else { throw JSONParseError(kind: .unexpectedEnd, offset: offset) }
            let byte = bytes[offset]
            switch byte {
            case UInt8(ascii: "\""):
                offset += 1
                guard let text = String(validating: decoded, as: UTF8.self) else {
                    throw JSONParseError(kind: .invalidString, offset: start)
                }
                return text
            case UInt8(ascii: "\\"):
                offset += 1
                try escape(into: &decoded)
            case 0..<0x20:
                throw JSONParseError(kind: .invalidString, offset: offset)
            default:
                decoded.append(byte)
                offset += 1
            }
        }
    }

    /// One escape after its backslash, appended as UTF-8.
    mutating func escape(into decoded: inout [UInt8]) throws(JSONParseError) {
        let byte = try peek()
        offset += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(byte)
        case UInt8(ascii: "b"): decoded.append(0x08)
        case UInt8(ascii: "f"): decoded.append(0x0C)
        case UInt8(ascii: "n"): decoded.append(0x0A)
        case UInt8(ascii: "r"): decoded.append(0x0D)
        case UInt8(ascii: "t"): decoded.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4()
            if (0xD800..<0xDC00).contains(scalar) {
                // A high surrogate must be followed by an escaped low surrogate.
                guard bytes.count - offset >= 2, bytes[offset] == UInt8(ascii: "\\"), bytes[offset + 1] == UInt8(ascii: "u") else {
                    throw JSONParseError(kind: .invalidString, offset: offset)
                }
                offset += 2
                let low = try hex4()
                guard (0xDC00..<0xE000).contains(low) else { throw JSONParseError(kind: .invalidString, offset: offset) }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                throw JSONParseError(kind: .invalidString, offset: offset)
            }
            guard let unicode = Unicode.Scalar(scalar), let encoded = UTF8.encode(unicode) else {
                throw JSONParseError(kind: .invalidString, offset: offset)
            }
            decoded.append(contentsOf: encoded)
        default:
            throw JSONParseError(kind: .invalidString, offset: offset - 1)
        }
    }

    mutating func hex4() throws(JSONParseError) -> UInt32 {
        guard bytes.count - offset >= 4 else { throw JSONParseError(kind: .unexpectedEnd, offset: offset) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw JSONParseError(kind: .invalidString, offset: offset)
            }
            value = value << 4 | UInt32(digit)
            offset += 1
        }
        return value
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    mutating func number() throws(JSONParseError) -> JSONValue {
        let start = offset
        if bytes[offset] == UInt8(ascii: "-") { offset += 1 }
        guard offset < bytes.count else { throw JSONParseError(kind: .invalidNumber, offset: start) }
        if bytes[offset] == UInt8(ascii: "0") {
            offset += 1
        } else {
            guard digits() > 0 else { throw JSONParseError(kind: .invalidNumber, offset: start) }
        }
        var integral = true
        if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
            integral = false
            offset += 1
            guard digits() > 0 else { throw JSONParseError(kind: .invalidNumber, offset: start) }
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "e") || bytes[offset] == UInt8(ascii: "E") {
            integral = false
            offset += 1
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") { offset += 1 }
            guard digits() > 0 else { throw JSONParseError(kind: .invalidNumber, offset: start) }
        }
        // ASCII only, checked above.
        let text = String(decoding: bytes[start..<offset], as: UTF8.self)
        if integral, let integer = Int64(text) { return .integer(integer) }
        return .number(text)
    }

    mutating func digits() -> Int {
        let start = offset
        while offset < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[offset]) { offset += 1 }
        return offset - start
    }
}

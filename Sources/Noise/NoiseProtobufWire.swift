// Minimal protobuf reader/writer for the libp2p Noise handshake payload, internal to this
// module until LibP2PCore's protobuf codec is available; swap this file for it then.

/// Protobuf wire-format helpers: varints, tags and length-delimited fields.
enum NoiseProtobufWire {
    /// A field read from a message.
    enum Field {
        case varint(UInt64)
        case fixed64
        case lengthDelimited(ArraySlice<UInt8>)
        case fixed32
    }

    static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    /// Appends field `number` with wire type 2 (bytes, strings, embedded messages).
    static func appendBytes(_ number: UInt64, _ bytes: some Collection<UInt8>, to out: inout [UInt8]) {
        appendVarint(number << 3 | 2, to: &out)
        appendVarint(UInt64(bytes.count), to: &out)
        out.append(contentsOf: bytes)
    }

    static func readVarint(_ bytes: ArraySlice<UInt8>, _ index: inout Int) throws(NoiseError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while index < bytes.endIndex {
            let byte = bytes[index]
            index += 1
            guard shift < 64, !(shift == 63 && byte > 1) else { throw .invalidPayload("varint overflow") }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
        throw .invalidPayload("truncated varint")
    }

    /// Calls `body(fieldNumber, field)` for every field of `message`, in order.
    static func forEachField(
        _ message: ArraySlice<UInt8>, _ body: (UInt64, Field) throws(NoiseError) -> Void
    ) throws(NoiseError) {
        var index = message.startIndex
        while index < message.endIndex {
            let key = try readVarint(message, &index)
            let number = key >> 3
            guard number > 0, number <= 0x1FFF_FFFF else { throw .invalidPayload("invalid field number") }
            switch key & 7 {
            case 0:
                try body(number, .varint(try readVarint(message, &index)))
            case 1:
                guard message.endIndex - index >= 8 else { throw .invalidPayload("truncated fixed64") }
                index += 8
                try body(number, .fixed64)
            case 2:
                let length = try readVarint(message, &index)
                guard length <= UInt64(message.endIndex - index) else { throw .invalidPayload("truncated bytes field") }
                let end = index + Int(length)
                try body(number, .lengthDelimited(message[index..<end]))
                index = end
            case 5:
                guard message.endIndex - index >= 4 else { throw .invalidPayload("truncated fixed32") }
                index += 4
                try body(number, .fixed32)
            default:
                throw .invalidPayload("unsupported wire type \(key & 7)")
            }
        }
    }
}

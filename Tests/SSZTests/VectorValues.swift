import ConformanceSupport
@testable import SSZ

/// Building expected values from `value.yaml`, independently of the SSZ decoder.
protocol YAMLDecodable {
    init(yaml: YAML) throws
}

/// A type the ssz_generic suite checks: codec, root, equality and a YAML reading.
protocol VectorValue: SSZType, Equatable, YAMLDecodable {}

struct YAMLMismatch: Error { let detail: String }

func scalar(_ yaml: YAML) throws -> String {
    guard case .scalar(let text) = yaml else { throw YAMLMismatch(detail: "expected scalar, got \(yaml)") }
    return text
}

func hexBytes(_ yaml: YAML) throws -> [UInt8] {
    guard let bytes = Hex.decode(try scalar(yaml)) else { throw YAMLMismatch(detail: "bad hex") }
    return bytes
}

func field(_ yaml: YAML, _ key: String) throws -> YAML {
    guard let value = yaml[key] else { throw YAMLMismatch(detail: "missing field \(key)") }
    return value
}

extension YAMLDecodable where Self: FixedWidthInteger {
    init(yaml: YAML) throws {
        guard let value = Self(try scalar(yaml)) else { throw YAMLMismatch(detail: "bad integer") }
        self = value
    }
}

extension UInt8: VectorValue {}
extension UInt16: VectorValue {}
extension UInt32: VectorValue {}
extension UInt64: VectorValue {}
extension UInt128: VectorValue {}

extension UInt256: VectorValue {
    init(yaml: YAML) throws {
        guard let value = UInt256(decimal: try scalar(yaml)) else { throw YAMLMismatch(detail: "bad uint256") }
        self = value
    }
}

extension Bool: VectorValue {
    init(yaml: YAML) throws {
        switch try scalar(yaml) {
        case "true": self = true
        case "false": self = false
        default: throw YAMLMismatch(detail: "bad bool")
        }
    }
}

extension SSZVector: YAMLDecodable, VectorValue where Element: VectorValue {
    init(yaml: YAML) throws {
        guard case .sequence(let items) = yaml else { throw YAMLMismatch(detail: "expected sequence") }
        try self.init(items.map { try Element(yaml: $0) })
    }
}

extension SSZList: YAMLDecodable, VectorValue where Element: VectorValue {
    init(yaml: YAML) throws {
        guard case .sequence(let items) = yaml else { throw YAMLMismatch(detail: "expected sequence") }
        try self.init(items.map { try Element(yaml: $0) })
    }
}

extension ByteList: YAMLDecodable, VectorValue {
    init(yaml: YAML) throws { try self.init(try hexBytes(yaml)) }
}

/// Bits of a hex bitfield, read directly (not through the SSZ decoder).
func bitsFromHex(_ bytes: [UInt8], count: Int) -> [Bool] {
    (0 ..< count).map { bytes[$0 / 8] & (1 << UInt8($0 % 8)) != 0 }
}

extension Bitvector: YAMLDecodable, VectorValue {
    init(yaml: YAML) throws { try self.init(bitsFromHex(try hexBytes(yaml), count: count)) }
}

extension Bitlist: YAMLDecodable, VectorValue {
    init(yaml: YAML) throws {
        let bytes = try hexBytes(yaml)
        guard let last = bytes.last, last != 0 else { throw YAMLMismatch(detail: "bitlist without delimiter") }
        let length = (bytes.count - 1) * 8 + (7 - last.leadingZeroBitCount)
        try self.init(bitsFromHex(bytes, count: length))
    }
}

// The container structures of the ssz_generic suite.

@SSZContainer
struct SingleFieldTestStruct: VectorValue {
    var A: UInt8
    init(A: UInt8) { self.A = A }
    init(yaml: YAML) throws { A = try UInt8(yaml: field(yaml, "A")) }
}

@SSZContainer
struct SmallTestStruct: VectorValue {
    var A: UInt16
    var B: UInt16
    init(A: UInt16, B: UInt16) { self.A = A; self.B = B }
    init(yaml: YAML) throws {
        A = try UInt16(yaml: field(yaml, "A"))
        B = try UInt16(yaml: field(yaml, "B"))
    }
}

@SSZContainer
struct FixedTestStruct: VectorValue {
    var A: UInt8
    var B: UInt64
    var C: UInt32
    init(yaml: YAML) throws {
        A = try UInt8(yaml: field(yaml, "A"))
        B = try UInt64(yaml: field(yaml, "B"))
        C = try UInt32(yaml: field(yaml, "C"))
    }
}

@SSZContainer
struct VarTestStruct: VectorValue {
    var A: UInt16
    var B: SSZList<UInt16, 1024>
    var C: UInt8
    init(A: UInt16, B: SSZList<UInt16, 1024>, C: UInt8) { self.A = A; self.B = B; self.C = C }
    init(yaml: YAML) throws {
        A = try UInt16(yaml: field(yaml, "A"))
        B = try SSZList(yaml: field(yaml, "B"))
        C = try UInt8(yaml: field(yaml, "C"))
    }
}

@SSZContainer
struct ComplexTestStruct: VectorValue {
    var A: UInt16
    var B: SSZList<UInt16, 128>
    var C: UInt8
    var D: ByteList<256>
    var E: VarTestStruct
    var F: SSZVector<FixedTestStruct, 4>
    var G: SSZVector<VarTestStruct, 2>
    init(yaml: YAML) throws {
        A = try UInt16(yaml: field(yaml, "A"))
        B = try SSZList(yaml: field(yaml, "B"))
        C = try UInt8(yaml: field(yaml, "C"))
        D = try ByteList(yaml: field(yaml, "D"))
        E = try VarTestStruct(yaml: field(yaml, "E"))
        F = try SSZVector(yaml: field(yaml, "F"))
        G = try SSZVector(yaml: field(yaml, "G"))
    }
}

@SSZContainer
struct BitsStruct: VectorValue {
    var A: Bitlist<5>
    var B: Bitvector<2>
    var C: Bitvector<1>
    var D: Bitlist<6>
    var E: Bitvector<8>
    init(yaml: YAML) throws {
        A = try Bitlist(yaml: field(yaml, "A"))
        B = try Bitvector(yaml: field(yaml, "B"))
        C = try Bitvector(yaml: field(yaml, "C"))
        D = try Bitlist(yaml: field(yaml, "D"))
        E = try Bitvector(yaml: field(yaml, "E"))
    }
}

@testable import SSZ

/// Maps an ssz_generic case name to the concrete type it declares (nil: unknown name).
enum VectorTypeTable {
    static func basicVector(_ name: String) -> (any VectorValue.Type)? {
        let parts = name.split(separator: "_")
        guard parts.count >= 3 else { return nil }
        switch (parts[1], parts[2]) {
        case ("bool", "0"): return SSZVector<Bool, 0>.self
        case ("bool", "1"): return SSZVector<Bool, 1>.self
        case ("bool", "2"): return SSZVector<Bool, 2>.self
        case ("bool", "3"): return SSZVector<Bool, 3>.self
        case ("bool", "4"): return SSZVector<Bool, 4>.self
        case ("bool", "5"): return SSZVector<Bool, 5>.self
        case ("bool", "8"): return SSZVector<Bool, 8>.self
        case ("bool", "16"): return SSZVector<Bool, 16>.self
        case ("bool", "31"): return SSZVector<Bool, 31>.self
        case ("bool", "512"): return SSZVector<Bool, 512>.self
        case ("bool", "513"): return SSZVector<Bool, 513>.self
        case ("uint8", "0"): return SSZVector<UInt8, 0>.self
        case ("uint8", "1"): return SSZVector<UInt8, 1>.self
        case ("uint8", "2"): return SSZVector<UInt8, 2>.self
        case ("uint8", "3"): return SSZVector<UInt8, 3>.self
        case ("uint8", "4"): return SSZVector<UInt8, 4>.self
        case ("uint8", "5"): return SSZVector<UInt8, 5>.self
        case ("uint8", "8"): return SSZVector<UInt8, 8>.self
        case ("uint8", "16"): return SSZVector<UInt8, 16>.self
        case ("uint8", "31"): return SSZVector<UInt8, 31>.self
        case ("uint8", "512"): return SSZVector<UInt8, 512>.self
        case ("uint8", "513"): return SSZVector<UInt8, 513>.self
        case ("uint16", "0"): return SSZVector<UInt16, 0>.self
        case ("uint16", "1"): return SSZVector<UInt16, 1>.self
        case ("uint16", "2"): return SSZVector<UInt16, 2>.self
        case ("uint16", "3"): return SSZVector<UInt16, 3>.self
        case ("uint16", "4"): return SSZVector<UInt16, 4>.self
        case ("uint16", "5"): return SSZVector<UInt16, 5>.self
        case ("uint16", "8"): return SSZVector<UInt16, 8>.self
        case ("uint16", "16"): return SSZVector<UInt16, 16>.self
        case ("uint16", "31"): return SSZVector<UInt16, 31>.self
        case ("uint16", "512"): return SSZVector<UInt16, 512>.self
        case ("uint16", "513"): return SSZVector<UInt16, 513>.self
        case ("uint32", "0"): return SSZVector<UInt32, 0>.self
        case ("uint32", "1"): return SSZVector<UInt32, 1>.self
        case ("uint32", "2"): return SSZVector<UInt32, 2>.self
        case ("uint32", "3"): return SSZVector<UInt32, 3>.self
        case ("uint32", "4"): return SSZVector<UInt32, 4>.self
        case ("uint32", "5"): return SSZVector<UInt32, 5>.self
        case ("uint32", "8"): return SSZVector<UInt32, 8>.self
        case ("uint32", "16"): return SSZVector<UInt32, 16>.self
        case ("uint32", "31"): return SSZVector<UInt32, 31>.self
        case ("uint32", "512"): return SSZVector<UInt32, 512>.self
        case ("uint32", "513"): return SSZVector<UInt32, 513>.self
        case ("uint64", "0"): return SSZVector<UInt64, 0>.self
        case ("uint64", "1"): return SSZVector<UInt64, 1>.self
        case ("uint64", "2"): return SSZVector<UInt64, 2>.self
        case ("uint64", "3"): return SSZVector<UInt64, 3>.self
        case ("uint64", "4"): return SSZVector<UInt64, 4>.self
        case ("uint64", "5"): return SSZVector<UInt64, 5>.self
        case ("uint64", "8"): return SSZVector<UInt64, 8>.self
        case ("uint64", "16"): return SSZVector<UInt64, 16>.self
        case ("uint64", "31"): return SSZVector<UInt64, 31>.self
        case ("uint64", "512"): return SSZVector<UInt64, 512>.self
        case ("uint64", "513"): return SSZVector<UInt64, 513>.self
        case ("uint128", "0"): return SSZVector<UInt128, 0>.self
        case ("uint128", "1"): return SSZVector<UInt128, 1>.self
        case ("uint128", "2"): return SSZVector<UInt128, 2>.self
        case ("uint128", "3"): return SSZVector<UInt128, 3>.self
        case ("uint128", "4"): return SSZVector<UInt128, 4>.self
        case ("uint128", "5"): return SSZVector<UInt128, 5>.self
        case ("uint128", "8"): return SSZVector<UInt128, 8>.self
        case ("uint128", "16"): return SSZVector<UInt128, 16>.self
        case ("uint128", "31"): return SSZVector<UInt128, 31>.self
        case ("uint128", "512"): return SSZVector<UInt128, 512>.self
        case ("uint128", "513"): return SSZVector<UInt128, 513>.self
        case ("uint256", "0"): return SSZVector<UInt256, 0>.self
        case ("uint256", "1"): return SSZVector<UInt256, 1>.self
        case ("uint256", "2"): return SSZVector<UInt256, 2>.self
        case ("uint256", "3"): return SSZVector<UInt256, 3>.self
        case ("uint256", "4"): return SSZVector<UInt256, 4>.self
        case ("uint256", "5"): return SSZVector<UInt256, 5>.self
        case ("uint256", "8"): return SSZVector<UInt256, 8>.self
        case ("uint256", "16"): return SSZVector<UInt256, 16>.self
        case ("uint256", "31"): return SSZVector<UInt256, 31>.self
        case ("uint256", "512"): return SSZVector<UInt256, 512>.self
        case ("uint256", "513"): return SSZVector<UInt256, 513>.self
        default: return nil
        }
    }

    static func bitvector(_ name: String) -> (any VectorValue.Type)? {
        let parts = name.split(separator: "_")
        guard parts.count >= 2 else { return nil }
        switch parts[1] {
        case "1": return Bitvector<1>.self
        case "2": return Bitvector<2>.self
        case "3": return Bitvector<3>.self
        case "4": return Bitvector<4>.self
        case "5": return Bitvector<5>.self
        case "8": return Bitvector<8>.self
        case "9": return Bitvector<9>.self
        case "16": return Bitvector<16>.self
        case "31": return Bitvector<31>.self
        case "32": return Bitvector<32>.self
        case "512": return Bitvector<512>.self
        case "513": return Bitvector<513>.self
        default: return nil
        }
    }

    /// Bitlist types; `bitlist_no_delimiter_*` names no limit and maps to several limits.
    static func bitlist(_ name: String) -> [any VectorValue.Type] {
        let parts = name.split(separator: "_")
        guard parts.count >= 2 else { return [] }
        switch parts[1] {
        case "1": return [Bitlist<1>.self]
        case "2": return [Bitlist<2>.self]
        case "3": return [Bitlist<3>.self]
        case "4": return [Bitlist<4>.self]
        case "5": return [Bitlist<5>.self]
        case "8": return [Bitlist<8>.self]
        case "16": return [Bitlist<16>.self]
        case "31": return [Bitlist<31>.self]
        case "32": return [Bitlist<32>.self]
        case "512": return [Bitlist<512>.self]
        case "513": return [Bitlist<513>.self]
        case "no": return [Bitlist<1>.self, Bitlist<8>.self, Bitlist<512>.self, Bitlist<4096>.self]
        default: return []
        }
    }

    static func uint(_ name: String) -> (any VectorValue.Type)? {
        let parts = name.split(separator: "_")
        guard parts.count >= 2 else { return nil }
        switch parts[1] {
        case "8": return UInt8.self
        case "16": return UInt16.self
        case "32": return UInt32.self
        case "64": return UInt64.self
        case "128": return UInt128.self
        case "256": return UInt256.self
        default: return nil
        }
    }

    static func container(_ name: String) -> (any VectorValue.Type)? {
        switch name.split(separator: "_").first {
        case "SingleFieldTestStruct": return SingleFieldTestStruct.self
        case "SmallTestStruct": return SmallTestStruct.self
        case "FixedTestStruct": return FixedTestStruct.self
        case "VarTestStruct": return VarTestStruct.self
        case "ComplexTestStruct": return ComplexTestStruct.self
        case "BitsStruct": return BitsStruct.self
        default: return nil
        }
    }
}

import ConformanceSupport
import Foundation
import Testing
@testable import SSZ

/// The official ssz_generic vectors: every valid case decodes to its value, encodes back to its
/// bytes and has its root; every invalid case is rejected.
@Suite(.enabled(if: ConformanceVectors.shouldRun("ssz")))
struct SSZGenericConformanceTests {
    /// The case folders of `handler`/`suite` (valid or invalid), sorted; none when absent.
    static func cases(_ handler: String, _ suite: String) throws -> [URL] {
        let path = "ssz_generic/\(handler)/\(suite)"
        return try ConformanceVectors.contents("ssz", path).filter { !$0.hasPrefix(".") }.compactMap {
            ConformanceVectors.file("ssz", "\(path)/\($0)")
        }
    }

    /// Whether a case name declares a type that cannot exist: a vector or bitvector of length
    /// zero (`vec_<elem>_0…`, `bitvec_0…`). Rejecting such a type counts as rejecting the case.
    static func namesInvalidType(_ name: String) -> Bool {
        let parts = name.split(separator: "_")
        switch parts.first {
        case "vec": return parts.count >= 3 && parts[2] == "0"
        case "bitvec": return parts.count >= 2 && parts[1] == "0"
        default: return false
        }
    }

    /// The type part of a case name, for skip reasons (`vec_uint8_7`, `bitvec_6`, `Foo`).
    static func typeName(_ name: String) -> String {
        let parts = name.split(separator: "_")
        let count = switch parts.first {
        case "vec": 3
        case "bitvec", "bitlist", "uint": 2
        default: 1
        }
        return parts.prefix(count).joined(separator: "_")
    }

    static func serialized(_ directory: URL) throws -> [UInt8] {
        let compressed = [UInt8](try Data(contentsOf: directory.appendingPathComponent("serialized.ssz_snappy")))
        return try SnappyBlockForVectors.decompress(compressed)
    }

    static func checkValid<T: VectorValue>(_ type: T.Type, _ directory: URL) throws {
        let name = directory.lastPathComponent
        let bytes = try serialized(directory)
        let value = try T(yaml: YAML.parse(String(decoding: try Data(contentsOf: directory.appendingPathComponent("value.yaml")), as: UTF8.self)))
        let meta = try YAML.parse(String(decoding: try Data(contentsOf: directory.appendingPathComponent("meta.yaml")), as: UTF8.self))
        let expectedRoot = try #require(SSZRoot(try hexBytes(field(meta, "root"))), "\(name)")
        let decoded = try T(sszEncoded: bytes)
        #expect(decoded == value, "\(name): decode")
        #expect(value.sszEncoded() == bytes, "\(name): encode")
        #expect(value.sszEncodedLength == bytes.count, "\(name): length")
        #expect(value.hashTreeRoot() == expectedRoot, "\(name): root")
    }

    static func checkInvalid<T: VectorValue>(_ type: T.Type, _ bytes: [UInt8], _ name: String) {
        #expect(throws: SSZError.self, "\(name): accepted") { try T(sszEncoded: bytes) }
    }

    func run(_ handler: String, types: (String) -> [any VectorValue.Type]) throws {
        var tally = ConformanceTally()
        var invalidTypes = 0
        for directory in try Self.cases(handler, "valid") {
            let name = directory.lastPathComponent
            let found = types(name)
            guard found.count == 1, let type = found.first else {
                tally.skip("valid, no single type for \(Self.typeName(name))")
                continue
            }
            try Self.checkValid(type, directory)
            tally.check()
        }
        for directory in try Self.cases(handler, "invalid") {
            let name = directory.lastPathComponent
            let found = types(name)
            if found.isEmpty {
                if Self.namesInvalidType(name) {
                    // The type itself is invalid, so no decoder for it exists: rejected.
                    invalidTypes += 1
                    tally.check()
                } else {
                    tally.skip("invalid, no type for \(Self.typeName(name))")
                }
                continue
            }
            let bytes = try Self.serialized(directory)
            for type in found { Self.checkInvalid(type, bytes, name) }
            tally.check()
        }
        guard tally.checked + tally.skippedCount > 0 else {
            ConformanceVectors.reportSkipped("ssz_generic/\(handler)", reason: "no cases in the vector set")
            try Test.cancel("no ssz_generic/\(handler) cases")
        }
        #expect(tally.checked > 0, "no \(handler) case could be checked")
        let detail = invalidTypes == 0 ? "" : "\(invalidTypes) name a zero-length type, rejected as a type"
        ConformanceVectors.report("ssz_generic/\(handler)", tally, detail: detail)
    }

    @Test func uints() throws { try run("uints") { VectorTypeTable.uint($0).map { [$0] } ?? [] } }
    @Test func boolean() throws { try run("boolean") { _ in [Bool.self] } }
    @Test func basicVector() throws { try run("basic_vector") { VectorTypeTable.basicVector($0).map { [$0] } ?? [] } }
    @Test func bitvector() throws { try run("bitvector") { VectorTypeTable.bitvector($0).map { [$0] } ?? [] } }
    @Test func bitlist() throws { try run("bitlist") { VectorTypeTable.bitlist($0) } }
    @Test func containers() throws { try run("containers") { VectorTypeTable.container($0).map { [$0] } ?? [] } }
}

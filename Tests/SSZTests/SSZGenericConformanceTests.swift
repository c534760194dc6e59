import ConformanceSupport
import Foundation
import Testing
@testable import SSZ

/// The official ssz_generic vectors: every valid case decodes to its value, encodes back to its
/// bytes and has its root; every invalid case is rejected.
@Suite(.enabled(if: ConformanceVectors.shouldRun("ssz")))
struct SSZGenericConformanceTests {
    static func cases(_ handler: String, _ suite: String) throws -> [URL] {
        let directory = try ConformanceVectors.require("ssz").appendingPathComponent("ssz_generic/\(handler)/\(suite)")
        return try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
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
        var checked = 0
        for directory in try Self.cases(handler, "valid") {
            let found = types(directory.lastPathComponent)
            #expect(found.count == 1, "no type for \(directory.lastPathComponent)")
            for type in found { try Self.checkValid(type, directory) }
            checked += 1
        }
        for directory in try Self.cases(handler, "invalid") {
            let found = types(directory.lastPathComponent)
            #expect(!found.isEmpty, "no type for \(directory.lastPathComponent)")
            let bytes = try Self.serialized(directory)
            for type in found { Self.checkInvalid(type, bytes, directory.lastPathComponent) }
            checked += 1
        }
        #expect(checked > 0)
        ConformanceVectors.report("ssz_generic/\(handler)", checked: checked)
    }

    @Test func uints() throws { try run("uints") { VectorTypeTable.uint($0).map { [$0] } ?? [] } }
    @Test func boolean() throws { try run("boolean") { _ in [Bool.self] } }
    @Test func basicVector() throws { try run("basic_vector") { VectorTypeTable.basicVector($0).map { [$0] } ?? [] } }
    @Test func bitvector() throws { try run("bitvector") { VectorTypeTable.bitvector($0).map { [$0] } ?? [] } }
    @Test func bitlist() throws { try run("bitlist") { VectorTypeTable.bitlist($0) } }
    @Test func containers() throws { try run("containers") { VectorTypeTable.container($0).map { [$0] } ?? [] } }
}

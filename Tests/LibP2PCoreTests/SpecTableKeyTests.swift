import ConformanceSupport
import Foundation
import Testing
@testable import LibP2PCore
@testable import Multiformats

/// The peer-ids spec's "Test vectors" table also lists a 4096-bit RSA key pair that the
/// vector JSON leaves out; check it straight from the spec text.
///
/// The spec is not part of a vector area, so this check is optional: it runs only when the spec
/// file sits beside the vectors and is skipped, with that reason, otherwise (also on CI).
@Suite struct SpecTableKeyTests {
    /// The specs sit beside the vectors: `$CONFORMANCE_VECTORS/../specs`, else `../shared/specs`.
    static let specURL: URL = {
        let specs: URL
        if let vectors = ProcessInfo.processInfo.environment["CONFORMANCE_VECTORS"], !vectors.isEmpty {
            specs = URL(fileURLWithPath: vectors).appendingPathComponent("../specs")
        } else {
            specs = URL(fileURLWithPath: #filePath)
                .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("../shared/specs")
        }
        return specs.appendingPathComponent("peer-ids/peer-ids.md").standardizedFileURL
    }()

    static var specPresent: Bool { FileManager.default.fileExists(atPath: specURL.path) }

    @Test func rsaKeyPairFromSpecTable() throws {
        guard Self.specPresent else {
            ConformanceVectors.reportSkipped("peer-ids/spec-table", reason: "optional spec file \(Self.specURL.path) absent")
            try Test.cancel("optional spec file peer-ids/peer-ids.md absent")
        }
        let text = try String(contentsOf: Self.specURL, encoding: .utf8)
        var rows = [String: [UInt8]]()
        for line in text.split(separator: "\n") where line.hasPrefix("|") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 2, let bytes = Hex.decode(cells[1]) else { continue }
            rows[cells[0].lowercased()] = bytes
        }
        let privateBytes = try #require(rows["rsa private key"])
        let publicBytes = try #require(rows["rsa public key"])
        let privateKey = try PrivateKey(protobuf: privateBytes, encoding: .canonical)
        let publicKey = try PublicKey(protobuf: publicBytes, encoding: .canonical)
        #expect(privateKey.type == .rsa)
        #expect(privateKey.publicKey == publicKey)
        #expect(!publicKey.peerID.hasInlinePublicKey)
        let message = Array("spec".utf8)
        #expect(publicKey.isValidSignature(try privateKey.signature(for: message), for: message))
        // The other rows of the table are the ones in peer_id_keys.json; all of them decode.
        var checked = 1
        for (name, bytes) in rows where !name.hasPrefix("rsa") {
            if name.contains("private") {
                #expect(try PrivateKey(protobuf: bytes, encoding: .canonical).protobufEncoded == bytes)
            } else {
                #expect(try PublicKey(protobuf: bytes, encoding: .canonical).protobufEncoded == bytes)
            }
            checked += 1
        }
        ConformanceVectors.report("peer-ids/spec-table", checked: checked)
    }
}

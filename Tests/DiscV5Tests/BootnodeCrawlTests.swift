import DiscV5
import ENR
import Foundation
import InteropSupport
import Testing

/// Two `aztec-p2p bootnode` processes and a `discv5 crawl` find each other on loopback.
@Suite(.serialized, .tags(.integration)) struct BootnodeCrawlTests {
    static var executableExists: Bool { InteropPeers.aztecP2PExecutable != nil || ProcessInfo.processInfo.environment["CI"] != nil }

    static func keyFile(_ name: String) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("discv5-\(name)-\(UUID().uuidString).key").path
        return path
    }

    @Test(.enabled(if: executableExists), .timeLimit(.minutes(1)))
    func twoBootnodesAndACrawlFindEachOther() async throws {
        let keyA = Self.keyFile("a")
        let keyB = Self.keyFile("b")
        defer {
            try? FileManager.default.removeItem(atPath: keyA)
            try? FileManager.default.removeItem(atPath: keyB)
        }
        let a = try InteropPeers.launchAztecP2P(["bootnode", "--listen", "127.0.0.1:0", "--key", keyA])
        defer { a.stop() }
        let recordA = try NodeRecord(text: try await a.nextLine(timeout: .seconds(20)))
        #expect(try recordA.ip == [127, 0, 0, 1])
        let b = try InteropPeers.launchAztecP2P([
            "bootnode", "--listen", "127.0.0.1:0", "--key", keyB, "--bootnode", recordA.textEncoding,
        ])
        defer { b.stop() }
        let recordB = try NodeRecord(text: try await b.nextLine(timeout: .seconds(20)))
        #expect(recordA != recordB)
        // Let B's join reach A.
        try await Task.sleep(for: .milliseconds(500))

        let crawl = try InteropPeers.launchAztecP2P([
            "discv5", "crawl", "--bootnode", recordA.textEncoding, "--timeout", "3", "--listen", "127.0.0.1:0",
        ])
        defer { crawl.stop() }
        var found: Set<NodeRecord> = []
        while found.count < 2, let line = try? await crawl.nextLine(timeout: .seconds(10)) {
            found.insert(try NodeRecord(text: line))
        }
        #expect(found.map(\.discoveryNodeID).sorted { $0.description < $1.description }
            == [recordA, recordB].map(\.discoveryNodeID).sorted { $0.description < $1.description })
        #expect(try await crawl.waitForExit(timeout: .seconds(15)) == 0)

        // ping and findnode against B; enr decode of A.
        let ping = try InteropPeers.launchAztecP2P(["discv5", "ping", recordB.textEncoding, "--listen", "127.0.0.1:0"])
        let pong = try await ping.nextLine(timeout: .seconds(10))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(pong.utf8)) as? [String: Any])
        #expect(object["recipientIP"] as? String == "127.0.0.1")
        #expect(try await ping.waitForExit(timeout: .seconds(10)) == 0)

        let findnode = try InteropPeers.launchAztecP2P([
            "discv5", "findnode", recordB.textEncoding, "--distance", "0", "--listen", "127.0.0.1:0",
        ])
        let records = try #require(try JSONSerialization.jsonObject(with: Data(try await findnode.nextLine(timeout: .seconds(10)).utf8)) as? [[String: Any]])
        #expect(records.map { $0["enr"] as? String } == [recordB.textEncoding])
        #expect(try await findnode.waitForExit(timeout: .seconds(10)) == 0)

        let decode = try InteropPeers.launchAztecP2P(["enr", "decode", recordA.textEncoding])
        let fields = try #require(try JSONSerialization.jsonObject(with: Data(try await decode.nextLine(timeout: .seconds(10)).utf8)) as? [String: Any])
        #expect(fields["ip"] as? String == "127.0.0.1")
        #expect(fields["id"] as? String == recordA.discoveryNodeID.description)
        #expect(try await decode.waitForExit(timeout: .seconds(10)) == 0)
    }

    @Test(.enabled(if: executableExists), .timeLimit(.minutes(1)))
    func enrNewSignsTheGivenFieldsAndDecodeRejectsATamperedRecord() async throws {
        let key = Self.keyFile("new")
        defer { try? FileManager.default.removeItem(atPath: key) }
        let new = try InteropPeers.launchAztecP2P([
            "enr", "new", "--key", key, "--ip", "10.1.2.3", "--udp", "9000", "--tcp", "40400",
            "--aztec-chain-id", "1337", "--eth-chain-id", "11155111",
        ])
        let record = try NodeRecord(text: try await new.nextLine(timeout: .seconds(10)))
        #expect(try await new.waitForExit(timeout: .seconds(10)) == 0)
        #expect(try record.ip == [10, 1, 2, 3])
        #expect(try record.udp == 9000)
        #expect(try record.tcp == 40400)
        #expect(try record.aztecChainID == 1337)
        #expect(try record.ethereumChainID == 11_155_111)
        // The key file now exists and is reused: the same identity signs again.
        let again = try InteropPeers.launchAztecP2P(["enr", "new", "--key", key])
        #expect(try NodeRecord(text: try await again.nextLine(timeout: .seconds(10))).publicKey == record.publicKey)
        _ = try await again.waitForExit(timeout: .seconds(10))
        // A record with one changed byte fails its signature check.
        var bytes = record.rlpEncoding
        bytes[bytes.count - 1] ^= 1
        let tampered = "enr:" + Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        let decode = try InteropPeers.launchAztecP2P(["enr", "decode", tampered])
        #expect(try await decode.waitForExit(timeout: .seconds(10)) != 0)
    }
}

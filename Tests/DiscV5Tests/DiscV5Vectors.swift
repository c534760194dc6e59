import ConformanceSupport
import DiscV5
import Foundation
import P2PCrypto
import Testing

/// Typed access to the discv5 vector files.
enum DiscV5Vectors {
    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    static let area = "discv5"

    static func wire() throws -> [String: Any] {
        guard let root = try ConformanceVectors.json(area, "discv5_wire_test_vectors.json") as? [String: Any] else {
            throw Malformed(description: "wire vectors are not an object")
        }
        return root
    }

    static func messages() throws -> [[String: Any]] {
        guard let root = try ConformanceVectors.json(area, "discv5_message_encodings.json") as? [String: Any],
              let messages = root["messages"] as? [[String: Any]]
        else { throw Malformed(description: "message vectors are not {messages: [...]}") }
        return messages
    }

    static func hex(_ object: [String: Any], _ key: String) throws -> [UInt8] {
        guard let text = object[key] as? String, let bytes = Hex.decode(text) else {
            throw Malformed(description: "missing hex field \(key)")
        }
        return bytes
    }

    static func int(_ object: [String: Any], _ key: String) throws -> UInt64 {
        guard let number = object[key] as? NSNumber else { throw Malformed(description: "missing number \(key)") }
        return number.uint64Value
    }

    static func object(_ object: [String: Any], _ key: String) throws -> [String: Any] {
        guard let value = object[key] as? [String: Any] else { throw Malformed(description: "missing object \(key)") }
        return value
    }

    static func nodeID(_ object: [String: Any], _ key: String) throws -> NodeID {
        guard let id = NodeID(bytes: try hex(object, key)) else { throw Malformed(description: "bad node id \(key)") }
        return id
    }

    static func privateKey(_ object: [String: Any], _ key: String) throws -> Secp256k1.PrivateKey {
        try Secp256k1.PrivateKey(rawRepresentation: try hex(object, key))
    }
}

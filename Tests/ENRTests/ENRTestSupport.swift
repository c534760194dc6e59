import ENR
import P2PCrypto
import RLP

/// Hex literal decoding for tests (traps on a malformed literal, which is a test bug).
func hex(_ text: String) -> [UInt8] {
    var out = [UInt8]()
    var index = text.startIndex
    while index < text.endIndex {
        let next = text.index(index, offsetBy: 2)
        guard let byte = UInt8(text[index..<next], radix: 16) else { fatalError("bad hex literal \(text)") }
        out.append(byte)
        index = next
    }
    return out
}

let exampleKey = hex("b71c71a67e1177ad4e901695e1b4b9ee17ae16c6668d313eac2f96dbcda3f291")

/// RLP of a byte string.
func rlpBytes(_ bytes: [UInt8]) -> [UInt8] { RLPItem.bytes(bytes).encoded }
func rlpString(_ text: String) -> [UInt8] { rlpBytes(Array(text.utf8)) }

/// Assembles and signs a record from raw parts, without any of the builder's checks, so tests can
/// produce correctly signed records that break one rule at a time.
/// `items` are the already encoded items after the sequence number (keys and values).
func rawRecord(
    seq: [UInt8] = RLPItem.uint(1).encoded, items: [[UInt8]], key: Secp256k1.PrivateKey,
    signature override: (([UInt8]) -> [UInt8])? = nil
) throws -> [UInt8] {
    let payload = seq + items.flatMap { $0 }
    var content = RLPEncoder()
    content.appendListHeader(payloadCount: payload.count)
    content.appendEncoded(payload)
    let digest = Keccak256.hash(content.bytes)
    var signature = try key.signature(forDigest: digest).compactRepresentation
    if let override { signature = override(signature) }
    let signatureItem = rlpBytes(signature)
    var record = RLPEncoder()
    record.appendListHeader(payloadCount: signatureItem.count + payload.count)
    record.appendEncoded(signatureItem)
    record.appendEncoded(payload)
    return record.bytes
}

/// The standard v4 items for `key`: id, secp256k1.
func v4Items(_ key: Secp256k1.PrivateKey) -> [[UInt8]] {
    [rlpString("id"), rlpString("v4"), rlpString("secp256k1"), rlpBytes(key.publicKey.compressedRepresentation)]
}

/// The error a throwing call produced, or `nil` when it succeeded.
func enrError(_ body: () throws(ENRError) -> NodeRecord) -> ENRError? {
    do throws(ENRError) {
        _ = try body()
        return nil
    } catch {
        return error
    }
}

/// How ``PublicKey`` and ``PrivateKey`` read their protobuf encoding.
///
/// Both always *write* the deterministic form the peer-ids spec requires (field 1 `Type`,
/// then field 2 `Data`, minimal varints, nothing else).
public enum KeyEncoding: Sendable, Equatable {
    /// Ordinary protobuf semantics, as go-libp2p and rust-libp2p parse keys: fields in any
    /// order, a repeated field's last value wins, unknown fields are skipped, varints may be
    /// redundant. The key (and so the peer id) is what the canonical re-encoding says.
    case lenient
    /// Only the exact deterministic encoding: re-encoding the key must give the input bytes.
    case canonical

    /// The largest key protobuf accepted (an 8192-bit RSA private key takes about 4.7 KB).
    public static let maxEncodedLength = 8192

    /// Reads `Type` and `Data` from a key protobuf.
    static func decodeFields(_ bytes: [UInt8]) throws(KeyError) -> (type: KeyType, data: ArraySlice<UInt8>) {
        guard bytes.count <= maxEncodedLength else { throw .tooLong(bytes.count) }
        var type: Int64?
        var data: ArraySlice<UInt8>?
        do throws(ProtobufError) {
            var reader = try ProtobufReader(bytes)
            while let field = try reader.next() {
                switch field.number {
                case 1: type = try field.int64()
                case 2: data = try field.bytes()
                default: continue
                }
            }
        } catch {
            throw .protobuf(error)
        }
        guard let type else { throw .protobuf(.missingField(1)) }
        guard let data else { throw .protobuf(.missingField(2)) }
        guard let keyType = KeyType(rawValue: Int(truncatingIfNeeded: type)), Int64(keyType.rawValue) == type else {
            throw .unknownKeyType(type)
        }
        return (keyType, data)
    }

    /// The deterministic encoding of a key.
    static func encode(type: KeyType, data: some Collection<UInt8>) -> [UInt8] {
        var writer = ProtobufWriter(capacity: data.count + 8)
        writer.writeVarint(UInt64(type.rawValue), field: 1)
        writer.writeBytes(data, field: 2)
        return writer.bytes
    }
}

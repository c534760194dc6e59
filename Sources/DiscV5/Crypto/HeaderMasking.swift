import Crypto
import CryptoExtras
import Foundation

/// AES-128-CTR masking of the packet header: key = destination node id[:16], IV = the packet's
/// 16-byte masking IV (the whole IV is the initial 128-bit counter block). Masking and
/// unmasking are the same operation.
public enum HeaderMasking {
    /// Length of the masking IV.
    public static let ivByteCount = 16

    /// XORs `bytes` with the AES-CTR key stream of (`destination`'s masking key, `iv`).
    public static func apply<Bytes: Collection<UInt8>>(
        _ bytes: Bytes, destination: NodeID, iv: some Collection<UInt8>
    ) throws(DiscV5Error) -> [UInt8] {
        guard iv.count == ivByteCount else { throw .invalidFieldLength(field: "masking-iv", length: iv.count) }
        do {
            let key = SymmetricKey(data: destination.maskingKey)
            let nonce = try AES._CTR.Nonce(nonceBytes: Array(iv))
            return Array(try AES._CTR.encrypt(Array(bytes), using: key, nonce: nonce))
        } catch {
            throw .cipherFailure
        }
    }
}

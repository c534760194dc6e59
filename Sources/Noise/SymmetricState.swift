import Foundation

/// A Noise `SymmetricState`: the chaining key `ck`, the handshake hash `h` and a `CipherState`.
public struct SymmetricState: Sendable {
    /// The hash function in use.
    public let hash: NoiseHash
    /// The chaining key.
    private(set) var chainingKey: [UInt8]
    /// The handshake hash `h`.
    public private(set) var handshakeHash: [UInt8]
    /// The handshake cipher state.
    private(set) var cipherState: CipherState

    /// InitializeSymmetric(protocol_name).
    public init(protocolName: String, cipher: NoiseCipher, hash: NoiseHash) {
        self.hash = hash
        let name = Array(protocolName.utf8)
        if name.count <= hash.length {
            handshakeHash = name + [UInt8](repeating: 0, count: hash.length - name.count)
        } else {
            handshakeHash = hash.hash(name)
        }
        chainingKey = handshakeHash
        cipherState = CipherState(cipher: cipher)
    }

    /// MixKey(input_key_material).
    public mutating func mixKey(_ inputKeyMaterial: [UInt8]) {
        let out = hash.hkdf(chainingKey: chainingKey, inputKeyMaterial: inputKeyMaterial, outputs: 2)
        chainingKey = out[0]
        cipherState.initializeKey(Array(out[1].prefix(32)))
    }

    /// MixHash(data).
    public mutating func mixHash(_ data: some DataProtocol) {
        handshakeHash = hash.hash(handshakeHash, data)
    }

    /// MixKeyAndHash(input_key_material), used for PSKs.
    public mutating func mixKeyAndHash(_ inputKeyMaterial: [UInt8]) {
        let out = hash.hkdf(chainingKey: chainingKey, inputKeyMaterial: inputKeyMaterial, outputs: 3)
        chainingKey = out[0]
        mixHash(out[1])
        cipherState.initializeKey(Array(out[2].prefix(32)))
    }

    /// Whether the handshake cipher state has a key.
    public var hasKey: Bool { cipherState.hasKey }

    /// EncryptAndHash(plaintext), appending the ciphertext to `out`.
    public mutating func encryptAndHash(_ plaintext: [UInt8], into out: inout [UInt8]) throws(NoiseError) {
        let start = out.count
        try cipherState.encrypt(ad: handshakeHash, plaintext: plaintext, into: &out)
        mixHash(out[start...])
    }

    /// DecryptAndHash(ciphertext).
    public mutating func decryptAndHash(_ ciphertext: ArraySlice<UInt8>) throws(NoiseError) -> [UInt8] {
        let plaintext = try cipherState.decrypt(ad: handshakeHash, ciphertext: ciphertext)
        mixHash(ciphertext)
        return plaintext
    }

    /// Split(): the initiator-to-responder and responder-to-initiator cipher states.
    public func split() -> (CipherState, CipherState) {
        let out = hash.hkdf(chainingKey: chainingKey, inputKeyMaterial: [UInt8](), outputs: 2)
        var c1 = CipherState(cipher: cipherState.cipher)
        var c2 = CipherState(cipher: cipherState.cipher)
        c1.initializeKey(Array(out[0].prefix(32)))
        c2.initializeKey(Array(out[1].prefix(32)))
        return (c1, c2)
    }
}

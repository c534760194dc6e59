import Crypto
import Foundation
import NIOCore

/// A Noise `CipherState`: a key `k` (possibly empty) and a 64-bit nonce `n`.
///
/// The nonce never wraps: 2^64 - 1 is reserved, so encrypting or decrypting with it fails with
/// `nonceExhausted`. A failed decryption does not advance the nonce.
public struct CipherState: Sendable {
    /// The cipher functions in use.
    public let cipher: NoiseCipher
    private var key: SymmetricKey?
    /// The next nonce.
    public private(set) var nonce: UInt64 = 0

    /// An empty cipher state (no key).
    public init(cipher: NoiseCipher) {
        self.cipher = cipher
    }

    /// InitializeKey(key): sets the 32-byte key and resets the nonce.
    public mutating func initializeKey(_ key: [UInt8]) {
        self.key = SymmetricKey(data: key)
        nonce = 0
    }

    /// HasKey().
    public var hasKey: Bool { key != nil }

    /// SetNonce(nonce).
    public mutating func setNonce(_ nonce: UInt64) {
        self.nonce = nonce
    }

    /// EncryptWithAd(ad, plaintext), appending to `out` (the plaintext itself when there is no key).
    public mutating func encrypt(ad: [UInt8], plaintext: some DataProtocol, into out: inout [UInt8]) throws(NoiseError) {
        guard let key else {
            out.append(contentsOf: plaintext)
            return
        }
        guard nonce < UInt64.max else { throw .nonceExhausted }
        let sealed = try cipher.seal(key: key, nonce: nonce, ad: ad, plaintext: plaintext)
        out.append(contentsOf: sealed.ciphertext)
        out.append(contentsOf: sealed.tag)
        nonce += 1
    }

    /// EncryptWithAd(ad, plaintext), appending to `out` (the plaintext itself when there is no key).
    public mutating func encrypt(ad: [UInt8], plaintext: some DataProtocol, into out: inout ByteBuffer) throws(NoiseError) {
        guard let key else {
            out.writeBytes(plaintext)
            return
        }
        guard nonce < UInt64.max else { throw .nonceExhausted }
        let sealed = try cipher.seal(key: key, nonce: nonce, ad: ad, plaintext: plaintext)
        out.writeBytes(sealed.ciphertext)
        out.writeBytes(sealed.tag)
        nonce += 1
    }

    /// EncryptWithAd(ad, plaintext).
    public mutating func encrypt(ad: [UInt8] = [], plaintext: [UInt8]) throws(NoiseError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(plaintext.count + 16)
        try encrypt(ad: ad, plaintext: plaintext, into: &out)
        return out
    }

    /// DecryptWithAd(ad, ciphertext).
    public mutating func decrypt(ad: [UInt8] = [], ciphertext: ArraySlice<UInt8>) throws(NoiseError) -> [UInt8] {
        guard let key else { return Array(ciphertext) }
        guard nonce < UInt64.max else { throw .nonceExhausted }
        let plaintext = try cipher.decrypt(key: key, nonce: nonce, ad: ad, ciphertext: ciphertext)
        nonce += 1
        return plaintext
    }

    /// DecryptWithAd(ad, ciphertext), reading the ciphertext in place and writing the plaintext
    /// into a new buffer.
    public mutating func decrypt(ad: [UInt8] = [], ciphertext: ByteBuffer) throws(NoiseError) -> ByteBuffer {
        guard let key else { return ciphertext }
        guard nonce < UInt64.max else { throw .nonceExhausted }
        let plaintext = try cipher.decrypt(key: key, nonce: nonce, ad: ad, ciphertext: ciphertext)
        nonce += 1
        return plaintext
    }

    /// DecryptWithAd(ad, ciphertext).
    public mutating func decrypt(ad: [UInt8] = [], ciphertext: [UInt8]) throws(NoiseError) -> [UInt8] {
        try decrypt(ad: ad, ciphertext: ciphertext[...])
    }

    /// Rekey(): k = first 32 bytes of ENCRYPT(k, 2^64 - 1, empty, 32 zero bytes); n is unchanged.
    public mutating func rekey() throws(NoiseError) {
        guard let key else { return }
        let sealed = try cipher.seal(key: key, nonce: UInt64.max, ad: [], plaintext: [UInt8](repeating: 0, count: 32))
        self.key = SymmetricKey(data: sealed.ciphertext.prefix(32))
    }
}

import Foundation
import NIOCore

/// The libp2p Noise secure channel after the handshake: frames of `u16 length ‖ ciphertext`,
/// each carrying at most 65535 - 16 plaintext bytes.
///
/// Writes larger than one frame are split into several frames. Received bytes are buffered and
/// a frame is decrypted only when complete; a frame that arrived whole in one received buffer is
/// decrypted from that buffer without a copy. Any receive error is final: the connection must be
/// closed, and later reads fail with `failedEarlier`.
public struct NoiseTransport: Sendable {
    /// The largest plaintext one frame carries (65535 - 16).
    public static let maxPlaintextPerFrame = HandshakeState.maxMessageLength - 16

    private var sender: CipherState
    private var receiver: CipherState
    private var frames: NoiseFrameBuffer
    private var receiveFailed = false

    /// A transport from the Split() cipher states; `buffered` holds bytes already received
    /// after the last handshake message.
    public init(sending: CipherState, receiving: CipherState, buffered: [UInt8] = []) {
        self.init(sending: sending, receiving: receiving, bufferedFrames: ByteBuffer(bytes: buffered))
    }

    init(sending: CipherState, receiving: CipherState, bufferedFrames: ByteBuffer) {
        sender = sending
        receiver = receiving
        frames = NoiseFrameBuffer(bufferedFrames)
    }

    /// Encrypts `plaintext` into frames ready to send. An empty write yields one frame holding
    /// only a tag (18 bytes); larger writes are split every `maxPlaintextPerFrame` bytes.
    public mutating func encrypt(_ plaintext: [UInt8]) throws(NoiseError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(plaintext.count + Self.frameCount(plaintext.count) * 18)
        try Self.forEachFrame(of: plaintext[...]) { (frame) throws(NoiseError) in try appendFrame(frame, to: &out) }
        return out
    }

    /// The frames a write of `count` bytes takes (an empty write takes one, holding only a tag).
    private static func frameCount(_ count: Int) -> Int {
        max(1, (count + maxPlaintextPerFrame - 1) / maxPlaintextPerFrame)
    }

    /// Calls `body` with each frame's share of `piece`, in order: one share per
    /// `maxPlaintextPerFrame` bytes, and one empty share for an empty piece.
    private static func forEachFrame(
        of piece: ArraySlice<UInt8>, _ body: (ArraySlice<UInt8>) throws(NoiseError) -> Void
    ) throws(NoiseError) {
        var offset = piece.startIndex
        repeat {
            let end = min(offset + maxPlaintextPerFrame, piece.endIndex)
            try body(piece[offset..<end])
            offset = end
        } while offset < piece.endIndex
    }

    /// Encrypts `plaintext` as exactly one frame; fails with `messageTooLong` above
    /// `maxPlaintextPerFrame`.
    public mutating func encryptFrame(_ plaintext: [UInt8]) throws(NoiseError) -> [UInt8] {
        guard plaintext.count <= Self.maxPlaintextPerFrame else { throw .messageTooLong(plaintext.count) }
        var out: [UInt8] = []
        try appendFrame(plaintext[...], to: &out)
        return out
    }

    /// Encrypts `plaintext` into frames appended to `out`, split as ``encrypt(_:)`` splits them.
    /// On an error `out` is left as it was.
    public mutating func encrypt(_ plaintext: [UInt8], into out: inout ByteBuffer) throws(NoiseError) {
        try encrypt(pieces: [plaintext[...]], into: &out)
    }

    /// Encrypts the concatenation of `pieces` into frames appended to `out`, each piece in frames
    /// of its own (split as ``encrypt(_:)`` splits a write): a caller that keeps a large payload
    /// apart from the small bytes around it has it encrypted where it lies, without joining the
    /// two first. An empty piece list yields one frame holding only a tag. On an error `out` is
    /// left as it was.
    public mutating func encrypt(pieces: [ArraySlice<UInt8>], into out: inout ByteBuffer) throws(NoiseError) {
        let pieces = pieces.isEmpty ? [[][...]] : pieces
        let frameCount = pieces.reduce(0) { $0 + Self.frameCount($1.count) }
        let byteCount = pieces.reduce(0) { $0 + $1.count }
        out.reserveCapacity(minimumWritableBytes: byteCount + frameCount * 18)
        let start = out.writerIndex
        do throws(NoiseError) {
            for piece in pieces {
                try Self.forEachFrame(of: piece) { (frame) throws(NoiseError) in try appendFrame(frame, to: &out) }
            }
        } catch {
            out.moveWriterIndex(to: start)
            throw error
        }
    }

    private mutating func appendFrame(_ plaintext: ArraySlice<UInt8>, to out: inout ByteBuffer) throws(NoiseError) {
        out.writeInteger(UInt16(plaintext.count + 16))
        try sender.encrypt(ad: [], plaintext: plaintext, into: &out)
    }

    private mutating func appendFrame(_ plaintext: ArraySlice<UInt8>, to out: inout [UInt8]) throws(NoiseError) {
        let headerIndex = out.count
        NoiseFrameBuffer.appendFrameHeader(length: plaintext.count + 16, to: &out)
        do {
            try sender.encrypt(ad: [], plaintext: plaintext, into: &out)
        } catch {
            out.removeSubrange(headerIndex...)
            throw error
        }
    }

    /// Adds a buffer received from the peer (kept, not copied, when no partial frame is pending).
    public mutating func receive(_ buffer: ByteBuffer) {
        frames.append(buffer)
    }

    /// Adds bytes received from the peer.
    public mutating func receive(_ bytes: some Sequence<UInt8>) {
        frames.append(bytes)
    }

    /// Decrypts the next complete frame into a buffer of its own, or returns `nil` when none is
    /// complete yet.
    public mutating func nextPlaintext() throws(NoiseError) -> ByteBuffer? {
        guard !receiveFailed else { throw .failedEarlier }
        guard let frame = frames.nextFrame() else { return nil }
        receiveFailed = true
        guard frame.readableBytes >= 16 else { throw .frameTooShort(frame.readableBytes) }
        let plaintext = try receiver.decrypt(ad: [], ciphertext: frame)
        receiveFailed = false
        return plaintext
    }

    /// Decrypts the next complete frame, or returns `nil` when none is complete yet.
    public mutating func nextMessage() throws(NoiseError) -> [UInt8]? {
        try nextPlaintext().map { Array($0.readableBytesView) }
    }

    /// Decrypts every complete frame buffered so far and returns their plaintexts concatenated.
    public mutating func decryptAvailable() throws(NoiseError) -> [UInt8] {
        var out: [UInt8] = []
        while let message = try nextMessage() { out += message }
        return out
    }

    /// Bytes received but not yet decrypted (an incomplete frame, or frames not yet read).
    public var bufferedByteCount: Int { frames.bufferedCount }

    /// The nonces the next sent and received frames will use.
    public var nonces: (sending: UInt64, receiving: UInt64) { (sender.nonce, receiver.nonce) }

    /// Test hook: sets both nonces (the spec's SetNonce), e.g. to reach exhaustion.
    mutating func setNonces(sending: UInt64, receiving: UInt64) {
        sender.setNonce(sending)
        receiver.setNonce(receiving)
    }
}

import NIOCore

extension ByteBuffer {
    /// Adds `received` after the unread bytes, for a frame reader that hands out its frames as
    /// slices: when nothing is unread, `received` itself becomes the buffer (no copy); otherwise
    /// the read bytes are dropped and `received` is appended (the split frame is joined).
    public mutating func cumulate(_ received: ByteBuffer) {
        guard readableBytes > 0 else {
            self = received
            return
        }
        var received = received
        discardReadBytes()
        writeBuffer(&received)
    }
}

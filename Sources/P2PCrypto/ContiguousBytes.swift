/// Calls `body` with the bytes of `bytes` as one contiguous buffer: directly when the collection
/// has contiguous storage (arrays, slices, `Data`), otherwise through a temporary copy.
@inlinable
func withContiguousBytes<Bytes: Collection<UInt8>, R>(
    _ bytes: Bytes, _ body: (UnsafeRawBufferPointer) -> R
) -> R {
    if let direct = bytes.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) {
        return direct
    }
    return Array(bytes).withUnsafeBytes(body)
}

/// ``withContiguousBytes(_:_:)`` for a body that throws a ``Secp256k1/Error``.
@inlinable
func withContiguousBytesThrowing<Bytes: Collection<UInt8>, R>(
    _ bytes: Bytes, _ body: (UnsafeRawBufferPointer) throws(Secp256k1.Error) -> R
) throws(Secp256k1.Error) -> R {
    let outcome: Result<R, Secp256k1.Error> = withContiguousBytes(bytes) { buffer in
        do throws(Secp256k1.Error) { return .success(try body(buffer)) } catch { return .failure(error) }
    }
    return try outcome.get()
}

extension Array where Element == UInt8 {
    /// Calls `body` with a pointer to the first byte, or returns `empty` for an empty array
    /// (whose buffer has no base address).
    @inlinable
    func withBase<R>(orIfEmpty empty: R, _ body: (UnsafePointer<UInt8>) -> R) -> R {
        withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return empty }
            return body(base)
        }
    }

    /// Creates `count` bytes written by `body`, which returns how many it initialized
    /// (at most `count`).
    @inlinable
    init(writing count: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        self.init(unsafeUninitializedCapacity: count) { buffer, initialized in
            guard let base = buffer.baseAddress else { initialized = 0; return }
            initialized = Swift.min(body(base), count)
        }
    }
}

import CSecp256k1

extension Secp256k1 {
    /// A libsecp256k1 context.
    ///
    /// Create one at start-up (optionally randomized with 32 bytes of entropy from the caller,
    /// which blinds key generation and signing against side channels) and share it. ``shared`` is
    /// an unrandomized context that every API uses by default.
    ///
    /// Sendability: the context is created, and randomized, inside `init` before any other code can
    /// see it, and is never mutated afterwards: this type exposes no mutating call
    /// (`secp256k1_context_randomize` runs only in `init`). libsecp256k1 documents that a context
    /// may be used from several threads at once by calls that take it as `const`, which all the
    /// calls this module makes do. Hence `@unchecked Sendable` is sound.
    public final class Context: @unchecked Sendable {
        @usableFromInline let pointer: OpaquePointer

        /// A context without randomization, used by default.
        public static let shared = Context(unrandomized: ())

        /// Creates a context, randomized with `seed` (exactly 32 bytes) when given.
        public init(randomizationSeed seed: [UInt8]?) throws(Secp256k1.Error) {
            pointer = Context.create()
            if let seed {
                guard seed.count == 32 else { throw .invalidRandomizationSeed }
                let status = seed.withUnsafeBufferPointer { secp256k1_context_randomize(pointer, $0.baseAddress) }
                guard status == 1 else { throw .invalidRandomizationSeed }
            }
        }

        private init(unrandomized: Void) {
            pointer = Context.create()
        }

        private static func create() -> OpaquePointer {
            // libsecp256k1 only fails here when it cannot allocate (it then calls its error
            // callback, which aborts): there is no input that reaches this.
            guard let pointer = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE)) else {
                preconditionFailure("secp256k1_context_create failed: out of memory")
            }
            return pointer
        }

        deinit {
            secp256k1_context_destroy(pointer)
        }
    }
}

import FuzzSupport
import SSZ

/// A transaction-shaped container: fixed fields, a large proof, a list of 32-byte hashes and a
/// small variable byte list.
@SSZContainer
struct FuzzTransaction: Equatable {
    var nonce: UInt64
    var fee: UInt64
    var gasLimit: UInt64
    var isPrivate: Bool
    var proof: ByteList<32768>
    var noteHashes: SSZList<ByteVector<32>, 64>
    var nullifiers: SSZList<ByteVector<32>, 64>
    var memo: ByteList<256>
    var flags: Bitlist<16>
}

@SSZUnion
enum FuzzUnion: Equatable {
    case none
    case transaction(FuzzTransaction)
    case values(SSZList<UInt64, 128>)
}

/// Decodes `bytes` as `T`; on success the encoding must reproduce the input exactly (SSZ is
/// canonical) and the root must be computable.
func roundTrip<T: SSZType>(_ type: T.Type, _ bytes: UnsafeRawBufferPointer) {
    guard let value = try? T(sszBytes: bytes) else { return }
    let encoded = value.sszEncoded()
    precondition(encoded.elementsEqual(bytes), "\(T.self): encode(decode(x)) != x")
    _ = value.hashTreeRoot()
}

@main enum FuzzSSZ {
    static func main() {
        Fuzzer.run { bytes in
            guard let selector = bytes.first else { return }
            let body = UnsafeRawBufferPointer(rebasing: bytes.dropFirst())
            switch selector % 8 {
            case 0: roundTrip(FuzzTransaction.self, body)
            case 1: roundTrip(FuzzUnion.self, body)
            case 2: roundTrip(SSZList<ByteList<16>, 32>.self, body)
            case 3: roundTrip(Bitlist<100>.self, body)
            case 4: roundTrip(SSZVector<Bitvector<3>, 4>.self, body)
            case 5: roundTrip(ProgressiveList<ProgressiveBitlist>.self, body)
            case 6: roundTrip(SSZVector<SSZList<UInt16, 8>, 3>.self, body)
            default: roundTrip(SSZList<Bool, 64>.self, body)
            }
        }
    }
}

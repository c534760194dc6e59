import ENR
import FuzzSupport

// ENR RLP form: a record that decodes (signature verified) re-encodes to exactly the input bytes.
@main enum FuzzENRRLP {
    static func main() {
        Fuzzer.run { bytes in
            let input = [UInt8](bytes)
            guard let record = try? NodeRecord(rlp: input) else { return }
            precondition(record.rlpEncoding == input, "ENR RLP re-encoding differs from the input")
            precondition(record.entries.count == record.keys.count && record.rlpEncoding.count <= 300, "record invariants")
            precondition((try? NodeRecord(text: record.textEncoding)) == record, "text form of a decoded record does not decode")
        }
    }
}

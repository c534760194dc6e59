import ENR
import FuzzSupport

// ENR text form: a record that decodes (signature verified) re-encodes to exactly the input text.
@main enum FuzzENRText {
    static func main() {
        Fuzzer.run { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            guard let record = try? NodeRecord(text: text) else { return }
            precondition(Array(record.textEncoding.utf8) == [UInt8](bytes), "ENR text re-encoding differs from the input")
            precondition((try? NodeRecord(rlp: record.rlpEncoding)) == record, "RLP form of a decoded record does not decode")
        }
    }
}

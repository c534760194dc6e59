import SSZ

extension TxPoolJournal {
    /// One change to the pool.
    public enum Record: Hashable, Sendable {
        /// A transaction entered the pool (its arrival time and SSZ are written).
        case added(TxPool.Entry)
        /// The transaction with this hash left the pool.
        case removed(TxHash)
        /// The newest published block (for expiry after a restart).
        case block(UInt64)

        /// Appends the record's kind byte and body (see ``TxPoolJournalFormat``).
        func appendKindAndBody(to out: inout [UInt8]) {
            switch self {
            case .added(let entry):
                out.append(TxPoolJournalFormat.Kind.added.rawValue)
                let (seconds, attoseconds) = entry.receivedAt.components
                out.appendLittleEndian64(UInt64(bitPattern: seconds))
                out.appendLittleEndian64(UInt64(bitPattern: attoseconds))
                out += TxWireCodec.ssz(entry.transaction)
            case .removed(let hash):
                out.append(TxPoolJournalFormat.Kind.removed.rawValue)
                out += hash.bytes
            case .block(let number):
                out.append(TxPoolJournalFormat.Kind.block.rawValue)
                out.appendLittleEndian64(number)
            }
        }
    }
}

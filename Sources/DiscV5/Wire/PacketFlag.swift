/// The packet kind carried in the static header's flag byte.
public enum PacketFlag: UInt8, Sendable, Equatable {
    /// An ordinary message packet (authdata = source node id).
    case message = 0
    /// A WHOAREYOU challenge (authdata = id-nonce ‖ enr-seq, no message).
    case whoAreYou = 1
    /// A handshake message packet.
    case handshake = 2
}

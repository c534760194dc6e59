/// Answers TALKREQ messages of one protocol: the request from `sender` in, the TALKRESP payload
/// out (an empty payload is a valid answer).
///
/// Topic advertisement, once its specification settles, fits here as one more protocol (or as
/// its own message handler next to ``DiscoveryNode``'s PING/FINDNODE/TALKREQ dispatch).
public typealias TalkHandler = @Sendable (_ sender: NodeAddress, _ request: [UInt8]) -> [UInt8]

import LibP2P

/// Which connection an inbound stream belongs to.
///
/// `P2PStreamHandlers` hand a handler only the stream, not its connection or remote peer.
/// Until LibP2P passes the connection (the minimal hook: `P2PStream.remotePeerID`, or a
/// handler taking `(P2PConnection, P2PStream)`), both a stream and its connection are matched
/// through the identity of the connection handler they share, read by reflection from their
/// immutable `handler` property. Reading a `let` reference is race-free; nothing is called.
enum StreamOwner {
    static func key(of connection: P2PConnection) -> ObjectIdentifier? { handlerIdentity(connection) }
    static func key(of stream: P2PStream) -> ObjectIdentifier? { handlerIdentity(stream) }

    private static func handlerIdentity(_ subject: AnyObject) -> ObjectIdentifier? {
        guard let bound = Mirror(reflecting: subject).children.first(where: { $0.label == "handler" })?.value,
              let value = Mirror(reflecting: bound).children.first(where: { $0.label == "_value" })?.value,
              Mirror(reflecting: value).displayStyle == .class
        else { return nil }
        return ObjectIdentifier(value as AnyObject)
    }
}

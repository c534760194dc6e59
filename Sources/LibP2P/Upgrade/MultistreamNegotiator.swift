import Multistream

/// One side of a multistream-select negotiation: the dialer initiates, the listener responds.
struct MultistreamNegotiator: Sendable {
    private enum Side: Sendable {
        case initiator(MultistreamInitiator)
        case responder(MultistreamResponder)
    }

    private var side: Side

    init(isInitiator: Bool, protocols: [String], configuration: MultistreamConfiguration) throws(MultistreamError) {
        side = isInitiator
            ? .initiator(try MultistreamInitiator(protocols: protocols, configuration: configuration))
            : .responder(try MultistreamResponder(protocols: protocols, configuration: configuration))
    }

    /// The initiator's opening bytes; the responder answers when it hears the initiator.
    mutating func start() -> [MultistreamAction] {
        switch side {
        case .initiator(var initiator):
            let actions = initiator.start()
            side = .initiator(initiator)
            return actions
        case .responder:
            return []
        }
    }

    mutating func receive(_ bytes: some Collection<UInt8>) -> [MultistreamAction] {
        switch side {
        case .initiator(var initiator):
            let actions = initiator.receive(bytes)
            side = .initiator(initiator)
            return actions
        case .responder(var responder):
            let actions = responder.receive(bytes)
            side = .responder(responder)
            return actions
        }
    }
}

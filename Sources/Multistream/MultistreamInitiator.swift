/// The dialing side of multistream-select: proposes protocols in order of preference until the
/// responder echoes one, moving to the next after each `na`.
///
/// By default the header and the first proposal are sent together in `start()`, as real peers
/// do; set `pipelineFirstProposal` to `false` to wait for the responder's header first.
public struct MultistreamInitiator: Sendable {
    private struct AwaitingHeader: Sendable {
        var parser: MultistreamMessageParser
        /// Whether the first proposal went out with the header.
        var proposalSent: Bool
    }

    private struct AwaitingAnswer: Sendable {
        var parser: MultistreamMessageParser
        /// Index into `protocols` of the proposal awaiting an answer.
        var index: Int
    }

    private enum State: Sendable {
        case idle
        case awaitingHeader(AwaitingHeader)
        case awaitingAnswer(AwaitingAnswer)
        case finished
    }

    /// The protocols to propose, most preferred first.
    public let protocols: [String]
    /// Whether `start()` sends the first proposal together with the header.
    public let pipelineFirstProposal: Bool
    private let configuration: MultistreamConfiguration
    private var state: State = .idle

    /// Creates an initiator that will propose `protocols` in order.
    public init(
        protocols: [String], configuration: MultistreamConfiguration = .default, pipelineFirstProposal: Bool = true
    ) throws(MultistreamError) {
        let configuration = try configuration.validated()
        guard !protocols.isEmpty else { throw .invalidConfiguration("no protocol to propose") }
        for id in protocols { try Multistream.validateProtocolID(id, configuration) }
        self.protocols = protocols
        self.configuration = configuration
        self.pipelineFirstProposal = pipelineFirstProposal
    }

    /// Starts the negotiation: returns the header (and, pipelined, the first proposal) to send.
    public mutating func start() -> [MultistreamAction] {
        guard case .idle = state else { return [.failed(.negotiationFinished)] }
        var out = Multistream.encodeMessage(Multistream.header)
        if pipelineFirstProposal { Multistream.appendMessage(protocols[0], to: &out) }
        state = .awaitingHeader(.init(
            parser: MultistreamMessageParser(maxMessageLength: configuration.maxMessageLength),
            proposalSent: pipelineFirstProposal))
        return [.send(out)]
    }

    /// Feeds bytes received from the responder.
    public mutating func receive(_ bytes: some Collection<UInt8>) -> [MultistreamAction] {
        var toSend: [UInt8] = []
        var terminal: MultistreamAction?
        switch state {
        case .idle, .finished:
            return [.failed(.negotiationFinished)]
        case .awaitingHeader(var s):
            s.parser.append(bytes)
            state = .awaitingHeader(s)
        case .awaitingAnswer(var s):
            s.parser.append(bytes)
            state = .awaitingAnswer(s)
        }
        loop: while terminal == nil {
            switch state {
            case .idle, .finished:
                break loop
            case .awaitingHeader(var s):
                state = .finished
                let message: String?
                do { message = try s.parser.nextMessage() } catch {
                    terminal = .failed(error)
                    break loop
                }
                guard let message else {
                    state = .awaitingHeader(s)
                    break loop
                }
                guard message == Multistream.header else {
                    terminal = .failed(.unsupportedHeader(received: message))
                    break loop
                }
                if !s.proposalSent { Multistream.appendMessage(protocols[0], to: &toSend) }
                state = .awaitingAnswer(.init(parser: s.parser, index: 0))
            case .awaitingAnswer(var s):
                state = .finished
                let message: String?
                do { message = try s.parser.nextMessage() } catch {
                    terminal = .failed(error)
                    break loop
                }
                guard let message else {
                    state = .awaitingAnswer(s)
                    break loop
                }
                let proposed = protocols[s.index]
                if message == proposed {
                    terminal = .negotiated(protocolID: proposed, leftover: s.parser.takeRemaining())
                    break loop
                }
                guard message == Multistream.notAvailable else {
                    terminal = .failed(.unexpectedMessage(message))
                    break loop
                }
                s.index += 1
                guard s.index < protocols.count else {
                    terminal = .failed(.noCommonProtocol(proposed: protocols))
                    break loop
                }
                Multistream.appendMessage(protocols[s.index], to: &toSend)
                state = .awaitingAnswer(s)
            }
        }
        var actions: [MultistreamAction] = toSend.isEmpty ? [] : [.send(toSend)]
        if let terminal { actions.append(terminal) }
        return actions
    }
}

import LibP2PCore

/// The listening side of multistream-select: answers the initiator's header with its own, then
/// echoes the first proposal it supports, answering `na` to the others and the protocol list
/// to `ls`.
public struct MultistreamResponder: Sendable {
    private struct AwaitingHeader: Sendable {
        var parser: MultistreamMessageParser
        /// Whether `start()` already sent our header.
        var headerSent = false
    }

    private struct AwaitingProposal: Sendable {
        var parser: MultistreamMessageParser
        /// Proposals rejected and `ls` requests answered so far.
        var attempts: Int
    }

    private enum State: Sendable {
        case awaitingHeader(AwaitingHeader)
        case awaitingProposal(AwaitingProposal)
        case finished
    }

    /// The protocols this side supports, in the order `ls` lists them.
    public let protocols: [String]
    private let supported: Set<String>
    private let configuration: MultistreamConfiguration
    private var state: State

    /// Creates a responder supporting `protocols`.
    public init(protocols: [String], configuration: MultistreamConfiguration = .default) throws(MultistreamError) {
        let configuration = try configuration.validated()
        for id in protocols { try Multistream.validateProtocolID(id, configuration) }
        self.protocols = protocols
        self.supported = Set(protocols)
        self.configuration = configuration
        self.state = .awaitingHeader(.init(parser: MultistreamMessageParser(maxMessageLength: configuration.maxMessageLength)))
    }

    /// Optionally sends the header before hearing from the initiator (both sides may send it at
    /// once, as the spec's note 3 allows). Without this call the header goes out with the first
    /// answer.
    public mutating func start() -> [MultistreamAction] {
        guard case .awaitingHeader(var s) = state, !s.headerSent else { return [] }
        s.headerSent = true
        state = .awaitingHeader(s)
        return [.send(Multistream.encodeMessage(Multistream.header))]
    }

    /// Feeds bytes received from the initiator.
    public mutating func receive(_ bytes: some Collection<UInt8>) -> [MultistreamAction] {
        var toSend: [UInt8] = []
        var terminal: MultistreamAction?
        switch state {
        case .finished:
            return [.failed(.negotiationFinished)]
        case .awaitingHeader(var s):
            s.parser.append(bytes)
            state = .awaitingHeader(s)
        case .awaitingProposal(var s):
            s.parser.append(bytes)
            state = .awaitingProposal(s)
        }
        loop: while terminal == nil {
            switch state {
            case .finished:
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
                if !s.headerSent { Multistream.appendMessage(Multistream.header, to: &toSend) }
                state = .awaitingProposal(.init(parser: s.parser, attempts: 0))
            case .awaitingProposal(var s):
                state = .finished
                let message: String?
                do { message = try s.parser.nextMessage() } catch {
                    terminal = .failed(error)
                    break loop
                }
                guard let message else {
                    state = .awaitingProposal(s)
                    break loop
                }
                if supported.contains(message) {
                    Multistream.appendMessage(message, to: &toSend)
                    terminal = .negotiated(protocolID: message, leftover: s.parser.takeRemaining())
                    break loop
                }
                if message == Multistream.header || message == Multistream.notAvailable {
                    terminal = .failed(.unexpectedMessage(message))
                    break loop
                }
                s.attempts += 1
                guard s.attempts <= configuration.maxAttempts else {
                    terminal = .failed(.tooManyAttempts(limit: configuration.maxAttempts))
                    break loop
                }
                if message == Multistream.list {
                    appendListing(to: &toSend)
                } else {
                    Multistream.appendMessage(Multistream.notAvailable, to: &toSend)
                }
                state = .awaitingProposal(s)
            }
        }
        var actions: [MultistreamAction] = toSend.isEmpty ? [] : [.send(toSend)]
        if let terminal { actions.append(terminal) }
        return actions
    }

    /// The `ls` answer: varint(total) ‖ each protocol as a message ‖ `\n`.
    private func appendListing(to buffer: inout [UInt8]) {
        var body: [UInt8] = []
        for id in protocols { Multistream.appendMessage(id, to: &body) }
        body.append(UInt8(ascii: "\n"))
        UVarint.encode(UInt64(body.count), into: &buffer)
        buffer.append(contentsOf: body)
    }
}

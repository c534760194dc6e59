import Multistream
import Noise

/// Which side of a connection this is.
public enum ConnectionRole: Sendable, Hashable {
    /// The side that dialed: multistream initiator, Noise initiator, yamux client.
    case dialer
    /// The side that accepted.
    case listener
}

/// Upgrades a raw byte stream (TCP) to a secured, multiplexed libp2p connection, sans-IO:
///
/// 1. multistream-select `/noise` (the dialer proposes),
/// 2. the Noise XX handshake (2-byte length-prefixed frames),
/// 3. multistream-select of the muxer inside Noise transport frames (yamux preferred),
/// 4. established: the caller switches to ``Connection`` with the returned ``UpgradedConnection``.
///
/// Feed received bytes to ``receive(_:)``, write out every ``Action/send(_:)`` in order, and
/// call ``timeout(now:)`` at ``nextDeadline``. Time is a `Duration` since any origin the caller
/// keeps fixed.
public struct ConnectionUpgrade: Sendable {
    /// What the upgrade asks its driver to do. A call returns at most one `.send` (coalesced)
    /// followed by at most one terminal action.
    public enum Action: Sendable {
        /// Write these bytes to the peer.
        case send([UInt8])
        /// The upgrade succeeded.
        case established(UpgradedConnection)
        /// The upgrade failed: close the connection.
        case failed(ConnectionUpgradeError)
    }

    private struct Idle: Sendable {
        var negotiator: MultistreamNegotiator
        var handshake: NoiseHandshake
    }

    private struct NegotiatingSecurity: Sendable {
        var negotiator: MultistreamNegotiator
        var handshake: NoiseHandshake
        var deadline: Duration
    }

    private struct Handshaking: Sendable {
        var handshake: NoiseHandshake
        var deadline: Duration
    }

    private struct NegotiatingMuxer: Sendable {
        var transport: NoiseTransport
        var remote: NoiseRemoteIdentity
        var negotiator: MultistreamNegotiator
        var deadline: Duration
    }

    private enum State: Sendable {
        case idle(Idle)
        case negotiatingSecurity(NegotiatingSecurity)
        case handshaking(Handshaking)
        case negotiatingMuxer(NegotiatingMuxer)
        /// Established or failed.
        case finished
    }

    /// Collects one call's output: coalesced bytes, then at most one terminal action.
    private struct Output {
        var bytes: [UInt8] = []
        var terminal: Action?

        var actions: [Action] {
            var actions: [Action] = bytes.isEmpty ? [] : [.send(bytes)]
            if let terminal { actions.append(terminal) }
            return actions
        }
    }

    /// This side's role.
    public let role: ConnectionRole
    private let configuration: ConnectionUpgradeConfiguration
    private var state: State

    /// Creates an upgrade. `expectedRemotePeerID` (dialer only) makes the handshake fail unless
    /// the remote authenticates as that peer. `ephemeralKey` must be fresh for every connection.
    public init(
        role: ConnectionRole, configuration: ConnectionUpgradeConfiguration,
        expectedRemotePeerID: [UInt8]? = nil, ephemeralKey: NoiseKeyPair
    ) throws(ConnectionUpgradeError) {
        let configuration = try configuration.validated()
        self.role = role
        self.configuration = configuration
        var noise = configuration.noise
        noise.expectedRemotePeerID = role == .dialer ? expectedRemotePeerID : nil
        let negotiator: MultistreamNegotiator
        do throws(MultistreamError) {
            negotiator = try MultistreamNegotiator(
                isInitiator: role == .dialer, protocols: [ConnectionUpgradeConfiguration.noiseProtocolID],
                configuration: configuration.multistream)
        } catch { throw .securityNegotiation(error) }
        let handshake: NoiseHandshake
        do throws(NoiseError) {
            handshake = try NoiseHandshake(
                role: role == .dialer ? .initiator : .responder, configuration: noise, ephemeralKey: ephemeralKey)
        } catch { throw .handshake(error) }
        state = .idle(Idle(negotiator: negotiator, handshake: handshake))
    }

    /// Starts the upgrade at `now`: the dialer's first bytes; the deadline starts running.
    public mutating func start(now: Duration) -> [Action] {
        guard case .idle(let idle) = state else { return [.failed(.invalidState)] }
        var out = Output()
        state = .negotiatingSecurity(NegotiatingSecurity(
            negotiator: idle.negotiator, handshake: idle.handshake, deadline: now + configuration.handshakeTimeout))
        applySecurity(startActions: true, bytes: [], &out)
        return out.actions
    }

    /// Feeds bytes received from the peer.
    public mutating func receive(_ bytes: some Collection<UInt8>) -> [Action] {
        switch state {
        case .idle, .finished:
            state = .finished
            return [.failed(.invalidState)]
        case .negotiatingSecurity, .handshaking, .negotiatingMuxer:
            var out = Output()
            feed(Array(bytes), &out)
            return out.actions
        }
    }

    /// The peer closed its side before the upgrade completed.
    public mutating func peerClosed() -> [Action] {
        switch state {
        case .finished:
            return []
        case .idle, .negotiatingSecurity, .handshaking, .negotiatingMuxer:
            state = .finished
            return [.failed(.closedByPeer)]
        }
    }

    /// When ``timeout(now:)`` must be called, or `nil` when no deadline runs.
    public var nextDeadline: Duration? {
        switch state {
        case .idle, .finished: nil
        case .negotiatingSecurity(let s): s.deadline
        case .handshaking(let s): s.deadline
        case .negotiatingMuxer(let s): s.deadline
        }
    }

    /// Fails the upgrade if `now` is at or past the deadline.
    public mutating func timeout(now: Duration) -> [Action] {
        guard let deadline = nextDeadline, now >= deadline else { return [] }
        state = .finished
        return [.failed(.timedOut)]
    }

    /// Whether the upgrade is over (established or failed).
    public var isFinished: Bool {
        if case .finished = state { return true }
        return false
    }

    // MARK: Transitions

    private mutating func feed(_ bytes: [UInt8], _ out: inout Output) {
        switch state {
        case .idle, .finished:
            return
        case .negotiatingSecurity:
            applySecurity(startActions: false, bytes: bytes, &out)
        case .handshaking(var s):
            state = .finished
            for action in s.handshake.receive(bytes) {
                switch action {
                case .send(let frame):
                    out.bytes += frame
                case .completed(let session):
                    startMuxerNegotiation(session, deadline: s.deadline, &out)
                    return
                case .failed(let error):
                    out.terminal = .failed(.handshake(error))
                    return
                }
            }
            state = .handshaking(s)
        case .negotiatingMuxer(var s):
            state = .finished
            s.transport.receive(bytes)
            let plaintext: [UInt8]
            do throws(NoiseError) { plaintext = try s.transport.decryptAvailable() } catch {
                out.terminal = .failed(.secureChannel(error))
                return
            }
            guard !plaintext.isEmpty else {
                state = .negotiatingMuxer(s)
                return
            }
            let actions = s.negotiator.receive(plaintext)
            applyMuxer(actions, &s, &out)
        }
    }

    private mutating func applySecurity(startActions: Bool, bytes: [UInt8], _ out: inout Output) {
        guard case .negotiatingSecurity(var s) = state else { return }
        state = .finished
        let actions = startActions ? s.negotiator.start() : s.negotiator.receive(bytes)
        for action in actions {
            switch action {
            case .send(let message):
                out.bytes += message
            case .negotiated(_, let leftover):
                // Only `/noise` was offered or accepted.
                var handshake = s.handshake
                for start in handshake.start() {
                    switch start {
                    case .send(let frame):
                        out.bytes += frame
                    case .completed:
                        out.terminal = .failed(.handshake(.outOfOrder))
                        state = .finished
                        return
                    case .failed(let error):
                        out.terminal = .failed(.handshake(error))
                        state = .finished
                        return
                    }
                }
                state = .handshaking(Handshaking(handshake: handshake, deadline: s.deadline))
                if !leftover.isEmpty { feed(leftover, &out) }
                return
            case .failed(let error):
                out.terminal = .failed(.securityNegotiation(error))
                return
            }
        }
        state = .negotiatingSecurity(s)
    }

    private mutating func startMuxerNegotiation(_ session: NoiseSession, deadline: Duration, _ out: inout Output) {
        let negotiator: MultistreamNegotiator
        do throws(MultistreamError) {
            negotiator = try MultistreamNegotiator(
                isInitiator: role == .dialer, protocols: configuration.muxers.map(\.protocolID),
                configuration: configuration.multistream)
        } catch {
            out.terminal = .failed(.muxerNegotiation(error))
            return
        }
        var s = NegotiatingMuxer(
            transport: session.transport, remote: session.remote, negotiator: negotiator, deadline: deadline)
        let actions = s.negotiator.start()
        applyMuxer(actions, &s, &out)
        // Frames that arrived together with the last handshake message.
        if case .negotiatingMuxer = state { feed([], &out) }
    }

    /// Applies muxer-negotiation actions; leaves `state` at `.negotiatingMuxer(s)` unless the
    /// negotiation ended.
    private mutating func applyMuxer(_ actions: [MultistreamAction], _ s: inout NegotiatingMuxer, _ out: inout Output) {
        state = .finished
        for action in actions {
            switch action {
            case .send(let message):
                do throws(NoiseError) { out.bytes += try s.transport.encrypt(message) } catch {
                    out.terminal = .failed(.secureChannel(error))
                    return
                }
            case .negotiated(let protocolID, let leftover):
                guard let muxer = MuxerProtocol(rawValue: protocolID) else {
                    out.terminal = .failed(.muxerNegotiation(.unexpectedMessage(protocolID)))
                    return
                }
                out.terminal = .established(UpgradedConnection(
                    transport: s.transport,
                    muxer: MuxerSession(muxer, isDialer: role == .dialer, configuration: configuration.muxerConfiguration),
                    remote: s.remote, isDialer: role == .dialer, leftover: leftover))
                return
            case .failed(let error):
                out.terminal = .failed(.muxerNegotiation(error))
                return
            }
        }
        state = .negotiatingMuxer(s)
    }
}

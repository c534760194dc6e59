/// The libp2p Noise handshake (`/noise`): `Noise_XX_25519_ChaChaPoly_SHA256`, empty prologue,
/// messages in 2-byte length-prefixed frames, each side authenticating its Noise static key
/// with its libp2p identity in an encrypted `NoiseHandshakePayload`.
///
/// ```
/// initiator                        responder
///   -> e                                          (empty payload)
///   <- e, ee, s, es                               (responder payload + extensions)
///   -> s, se                                      (initiator payload + extensions)
/// ```
/// Sans-IO: feed received bytes to `receive`, write out every `.send`, and on `.completed`
/// switch to the returned `NoiseTransport` (which already holds any bytes received after the
/// last handshake frame).
public struct NoiseHandshake: Sendable {
    /// Which side of the connection this is.
    public enum Role: Sendable, Equatable {
        /// The dialer, who sends the first message.
        case initiator
        /// The listener.
        case responder
    }

    /// What the handshake asks its driver to do.
    public enum Action: Sendable {
        /// Write these bytes (one or more frames) to the peer.
        case send([UInt8])
        /// The handshake succeeded; continue with the session's transport.
        case completed(NoiseSession)
        /// The handshake failed; close the connection.
        case failed(NoiseError)
    }

    /// The parameters of one handshake.
    public struct Configuration: Sendable {
        /// The local libp2p identity that signs the Noise static key.
        public var identity: any NoiseIdentitySigner
        /// Checks the remote's identity key and signature.
        public var verifier: any NoiseIdentityVerifier
        /// The local Noise static key pair (distinct from the identity key).
        public var staticKey: NoiseKeyPair
        /// The peer id the dialer expects (`nil` to accept any authenticated peer).
        public var expectedRemotePeerID: [UInt8]?
        /// Extensions to send (in message 2 as responder, message 3 as initiator).
        public var extensions: NoiseExtensions?

        /// Creates a configuration.
        public init(
            identity: any NoiseIdentitySigner, verifier: any NoiseIdentityVerifier, staticKey: NoiseKeyPair,
            expectedRemotePeerID: [UInt8]? = nil, extensions: NoiseExtensions? = nil
        ) {
            self.identity = identity
            self.verifier = verifier
            self.staticKey = staticKey
            self.expectedRemotePeerID = expectedRemotePeerID
            self.extensions = extensions
        }
    }

    private struct Idle: Sendable {
        var handshake: HandshakeState
    }

    private struct AwaitingMessage: Sendable {
        var handshake: HandshakeState
        var frames: NoiseFrameBuffer
    }

    private enum State: Sendable {
        /// Initiator before `start()`.
        case idle(Idle)
        /// Waiting for the peer's next handshake frame.
        case awaitingMessage(AwaitingMessage)
        /// Completed or failed.
        case finished
    }

    /// This side's role.
    public let role: Role
    private let configuration: Configuration
    /// The local handshake payload (identity key, signature, extensions).
    private let localPayload: [UInt8]
    private var state: State

    /// Creates a handshake with an explicit ephemeral key pair (see `NoiseKeyPair.generate(using:)`).
    public init(role: Role, configuration: Configuration, ephemeralKey: NoiseKeyPair) throws(NoiseError) {
        self.role = role
        self.configuration = configuration
        let signedData = NoiseHandshakePayload.signedData(noiseStaticKey: configuration.staticKey.publicKey)
        guard let signature = configuration.identity.sign(signedData) else { throw .signingFailed }
        localPayload = NoiseHandshakePayload(
            identityKey: configuration.identity.identityKeyProtobuf, identitySignature: signature,
            extensions: configuration.extensions
        ).encoded()
        let handshake = try HandshakeState(
            protocol: .libp2p, initiator: role == .initiator, prologue: [],
            localStatic: configuration.staticKey, localEphemeral: ephemeralKey)
        switch role {
        case .initiator: state = .idle(Idle(handshake: handshake))
        case .responder: state = .awaitingMessage(AwaitingMessage(handshake: handshake, frames: NoiseFrameBuffer()))
        }
    }

    /// Creates a handshake whose ephemeral key comes from `rng`.
    public init(role: Role, configuration: Configuration, using rng: inout some RandomNumberGenerator) throws(NoiseError) {
        try self.init(role: role, configuration: configuration, ephemeralKey: try NoiseKeyPair.generate(using: &rng))
    }

    /// Starts the handshake: the initiator's first frame. The responder has nothing to send
    /// until it receives, so it gets an empty list.
    public mutating func start() -> [Action] {
        switch state {
        case .idle(var idle):
            state = .finished
            do {
                let message = try idle.handshake.writeMessage(payload: [])
                state = .awaitingMessage(AwaitingMessage(handshake: idle.handshake, frames: NoiseFrameBuffer()))
                return [.send(Self.frame(message))]
            } catch {
                return [.failed(error)]
            }
        case .awaitingMessage:
            return []
        case .finished:
            return [.failed(.failedEarlier)]
        }
    }

    /// Feeds bytes received from the peer.
    public mutating func receive(_ bytes: some Sequence<UInt8>) -> [Action] {
        guard case .awaitingMessage(var s) = state else {
            if case .idle = state { return [.failed(.outOfOrder)] }
            return [.failed(.failedEarlier)]
        }
        state = .finished
        s.frames.append(bytes)
        var toSend: [UInt8] = []
        func result(_ terminal: Action?) -> [Action] {
            var actions: [Action] = toSend.isEmpty ? [] : [.send(toSend)]
            if let terminal { actions.append(terminal) }
            return actions
        }
        do throws(NoiseError) {
            while let message = s.frames.nextFrame() {
                let payload = try s.handshake.readMessage(Array(message.readableBytesView))
                var remote: NoiseRemoteIdentity?
                if s.handshake.remoteStatic != nil {
                    // Messages 2 (at the initiator) and 3 (at the responder) carry the identity.
                    remote = try authenticate(payload, handshake: s.handshake)
                }
                if s.handshake.isMyTurnToWrite {
                    toSend += Self.frame(try s.handshake.writeMessage(payload: localPayload))
                }
                if s.handshake.isComplete {
                    guard let remote else { throw .outOfOrder }
                    let (c1, c2) = try s.handshake.split()
                    let leftover = s.frames.takeRemaining()
                    let transport = role == .initiator
                        ? NoiseTransport(sending: c1, receiving: c2, bufferedFrames: leftover)
                        : NoiseTransport(sending: c2, receiving: c1, bufferedFrames: leftover)
                    return result(.completed(NoiseSession(
                        transport: transport, remote: remote, handshakeHash: s.handshake.handshakeHash)))
                }
            }
        } catch {
            return result(.failed(error))
        }
        state = .awaitingMessage(s)
        return result(nil)
    }

    /// Decodes and verifies the remote payload against its Noise static key.
    private func authenticate(_ payload: [UInt8], handshake: HandshakeState) throws(NoiseError) -> NoiseRemoteIdentity {
        guard let remoteStatic = handshake.remoteStatic else { throw .outOfOrder }
        let decoded = try NoiseHandshakePayload(decoding: payload[...])
        guard !decoded.identityKey.isEmpty, !decoded.identitySignature.isEmpty,
              let peerID = configuration.verifier.verify(
                identityKey: decoded.identityKey, signature: decoded.identitySignature,
                message: NoiseHandshakePayload.signedData(noiseStaticKey: remoteStatic))
        else { throw .invalidIdentitySignature }
        if let expected = configuration.expectedRemotePeerID, expected != peerID {
            throw .peerIDMismatch(expected: expected, actual: peerID)
        }
        return NoiseRemoteIdentity(
            peerID: peerID, identityKey: decoded.identityKey, noiseStaticKey: remoteStatic,
            extensions: decoded.extensions)
    }

    /// One frame: u16 big-endian length ‖ message (handshake messages are at most 65535 bytes).
    private static func frame(_ message: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(message.count + 2)
        NoiseFrameBuffer.appendFrameHeader(length: message.count, to: &out)
        out += message
        return out
    }
}

/// The outcome of a successful libp2p Noise handshake.
public struct NoiseSession: Sendable {
    /// The encrypted channel.
    public var transport: NoiseTransport
    /// The authenticated remote peer.
    public var remote: NoiseRemoteIdentity
    /// The final handshake hash (usable for channel binding).
    public var handshakeHash: [UInt8]
}

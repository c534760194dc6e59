import Testing
@testable import Multistream

/// Drives an initiator and a responder back to back, delivering bytes in chunks of `chunk`
/// bytes (nil = whole writes), and returns both sides' terminal actions.
private func negotiate(
    _ initiator: inout MultistreamInitiator, _ responder: inout MultistreamResponder,
    chunk: Int? = nil, initiatorExtra: [UInt8] = []
) -> (initiator: MultistreamAction?, responder: MultistreamAction?) {
    var toResponder: [UInt8] = []
    var toInitiator: [UInt8] = []
    var initiatorEnd: MultistreamAction?
    var responderEnd: MultistreamAction?
    func absorb(_ actions: [MultistreamAction], _ out: inout [UInt8], _ end: inout MultistreamAction?) {
        for action in actions {
            switch action {
            case .send(let bytes): out += bytes
            case .negotiated, .failed:
                #expect(end == nil)
                end = action
            }
        }
    }
    absorb(initiator.start(), &toResponder, &initiatorEnd)
    toResponder += initiatorExtra
    var rounds = 0
    while (!toResponder.isEmpty && responderEnd == nil) || (!toInitiator.isEmpty && initiatorEnd == nil) {
        rounds += 1
        if rounds > 100_000 { break }
        if !toResponder.isEmpty && responderEnd == nil {
            let n = min(chunk ?? toResponder.count, toResponder.count)
            let piece = Array(toResponder.prefix(n))
            toResponder.removeFirst(n)
            absorb(responder.receive(piece), &toInitiator, &responderEnd)
            if case .negotiated(let id, let leftover)? = responderEnd {
                responderEnd = .negotiated(protocolID: id, leftover: leftover + toResponder)
                toResponder = []
            }
        }
        if !toInitiator.isEmpty && initiatorEnd == nil {
            let n = min(chunk ?? toInitiator.count, toInitiator.count)
            let piece = Array(toInitiator.prefix(n))
            toInitiator.removeFirst(n)
            absorb(initiator.receive(piece), &toResponder, &initiatorEnd)
            if case .negotiated(let id, let leftover)? = initiatorEnd {
                initiatorEnd = .negotiated(protocolID: id, leftover: leftover + toInitiator)
                toInitiator = []
            }
        }
    }
    return (initiatorEnd, responderEnd)
}

@Test(arguments: [nil, 1, 2, 3] as [Int?])
func backToBackNegotiatesFirstCommonProtocol(chunk: Int?) throws {
    var initiator = try MultistreamInitiator(protocols: ["/yamux/1.0.0", "/mplex/6.7.0"])
    var responder = try MultistreamResponder(protocols: ["/mplex/6.7.0", "/yamux/1.0.0"])
    let (i, r) = negotiate(&initiator, &responder, chunk: chunk)
    #expect(i == .negotiated(protocolID: "/yamux/1.0.0", leftover: []))
    #expect(r == .negotiated(protocolID: "/yamux/1.0.0", leftover: []))
}

@Test(arguments: [nil, 1] as [Int?])
func fallsBackAfterNotAvailable(chunk: Int?) throws {
    var initiator = try MultistreamInitiator(protocols: ["/noise/2", "/tls/1.0.0", "/noise"])
    var responder = try MultistreamResponder(protocols: ["/noise"])
    let (i, r) = negotiate(&initiator, &responder, chunk: chunk)
    #expect(i == .negotiated(protocolID: "/noise", leftover: []))
    #expect(r == .negotiated(protocolID: "/noise", leftover: []))
}

@Test(arguments: [true, false])
func pipeliningIsOptional(pipelined: Bool) throws {
    var initiator = try MultistreamInitiator(protocols: ["/noise"], pipelineFirstProposal: pipelined)
    let first = initiator.start()
    var expected = Multistream.encodeMessage("/multistream/1.0.0")
    if pipelined { expected += Multistream.encodeMessage("/noise") }
    #expect(first == [.send(expected)])
    #expect(initiator.start() == [.failed(.negotiationFinished)])
    initiator = try MultistreamInitiator(protocols: ["/noise"], pipelineFirstProposal: pipelined)
    var responder = try MultistreamResponder(protocols: ["/noise"])
    let (i, r) = negotiate(&initiator, &responder, chunk: 1)
    #expect(i == .negotiated(protocolID: "/noise", leftover: []))
    #expect(r == .negotiated(protocolID: "/noise", leftover: []))
}

@Test func wireBytesMatchTheSpecExample() throws {
    // "> /multistream/1.0.0\n/ipfs/kad/1.0.0\n" answered in one packet.
    var responder = try MultistreamResponder(protocols: ["/ipfs/kad/1.0.0"])
    let input: [UInt8] = [19] + Array("/multistream/1.0.0\n".utf8) + [16] + Array("/ipfs/kad/1.0.0\n".utf8)
    let actions = responder.receive(input)
    #expect(actions == [.send(input), .negotiated(protocolID: "/ipfs/kad/1.0.0", leftover: [])])
    #expect(Multistream.encodeMessage("na") == [0x03, 0x6e, 0x61, 0x0a])
    #expect(Multistream.encodeMessage("ls") == [0x03, 0x6c, 0x73, 0x0a])
}

@Test func responderAnswersNotAvailableThenEcho() throws {
    var responder = try MultistreamResponder(protocols: ["/b"])
    let input = Multistream.encodeMessage("/multistream/1.0.0") + Multistream.encodeMessage("/a")
        + Multistream.encodeMessage("/b")
    let actions = responder.receive(input)
    let reply = Multistream.encodeMessage("/multistream/1.0.0") + Multistream.encodeMessage("na")
        + Multistream.encodeMessage("/b")
    #expect(actions == [.send(reply), .negotiated(protocolID: "/b", leftover: [])])
}

@Test func noCommonProtocolFailsInitiator() throws {
    var initiator = try MultistreamInitiator(protocols: ["/a", "/b"])
    var responder = try MultistreamResponder(protocols: ["/c"])
    let (i, r) = negotiate(&initiator, &responder)
    #expect(i == .failed(.noCommonProtocol(proposed: ["/a", "/b"])))
    #expect(r == nil)
}

@Test(arguments: [nil, 1] as [Int?])
func leftoverBytesArePreserved(chunk: Int?) throws {
    // The initiator pipelines application data right after its proposal (and the responder
    // may do the same after its echo): those bytes belong to the negotiated protocol.
    var initiator = try MultistreamInitiator(protocols: ["/noise"])
    var responder = try MultistreamResponder(protocols: ["/noise"])
    let appData: [UInt8] = [0x00, 0x20, 0xde, 0xad, 0xbe, 0xef]
    let (i, r) = negotiate(&initiator, &responder, chunk: chunk, initiatorExtra: appData)
    #expect(i == .negotiated(protocolID: "/noise", leftover: []))
    #expect(r == .negotiated(protocolID: "/noise", leftover: appData))

    // Within one receive call, the machine itself hands back what follows the echo.
    var initiator2 = try MultistreamInitiator(protocols: ["/noise"])
    _ = initiator2.start()
    let reply = Multistream.encodeMessage("/multistream/1.0.0") + Multistream.encodeMessage("/noise") + appData
    #expect(initiator2.receive(reply) == [.negotiated(protocolID: "/noise", leftover: appData)])
}

@Test func lsListsProtocols() throws {
    var responder = try MultistreamResponder(protocols: ["/a", "/bc"])
    let actions = responder.receive(Multistream.encodeMessage("/multistream/1.0.0") + Multistream.encodeMessage("ls"))
    let body = Multistream.encodeMessage("/a") + Multistream.encodeMessage("/bc") + [0x0a]
    #expect(actions == [.send(Multistream.encodeMessage("/multistream/1.0.0") + [UInt8(body.count)] + body)])
}

@Test func tooManyAttempts() throws {
    var responder = try MultistreamResponder(protocols: ["/z"], configuration: .init(maxAttempts: 3))
    var input = Multistream.encodeMessage("/multistream/1.0.0")
    for i in 0..<4 { input += Multistream.encodeMessage("/p\(i)") }
    let actions = responder.receive(input)
    #expect(actions.last == .failed(.tooManyAttempts(limit: 3)))
}

@Test func tooLongMessageIsRejectedBeforeItsBody() throws {
    var responder = try MultistreamResponder(protocols: ["/z"], configuration: .init(maxMessageLength: 64))
    // A length prefix of 65 alone is enough to fail: no need to buffer the body.
    #expect(responder.receive([65]) == [.failed(.messageTooLong(length: 65, limit: 64))])
    var responder2 = try MultistreamResponder(protocols: ["/z"])
    #expect(responder2.receive([0xff, 0xff, 0xff, 0xff, 0x0f]) == [.failed(.messageTooLong(length: 0xffff_ffff, limit: 1024))])
}

@Test func garbageIsRejectedWithTypedErrors() throws {
    func first(_ bytes: [UInt8]) throws -> [MultistreamAction] {
        var responder = try MultistreamResponder(protocols: ["/z"])
        return responder.receive(bytes)
    }
    #expect(try first([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]) == [.failed(.malformedLengthPrefix)])
    #expect(try first([0x83, 0x00]) == [.failed(.malformedLengthPrefix)])  // non-minimal
    #expect(try first([0x00]) == [.failed(.missingNewline)])
    #expect(try first([0x03, 0x61, 0x62, 0x63]) == [.failed(.missingNewline)])
    #expect(try first([0x03, 0xff, 0xfe, 0x0a]) == [.failed(.invalidUTF8)])
    #expect(try first(Multistream.encodeMessage("/multistream/2.0.0")) == [.failed(.unsupportedHeader(received: "/multistream/2.0.0"))])
    // 'G' reads as a 71-byte length: nothing is consumed until 71 bytes are there, then no '\n'.
    var responder = try MultistreamResponder(protocols: ["/z"])
    #expect(responder.receive(Array("GET / HTTP/1.1\r\n".utf8)) == [])
    #expect(responder.receive([UInt8](repeating: 0x41, count: 60)) == [.failed(.missingNewline)])
}

@Test func initiatorRejectsUnexpectedAnswers() throws {
    var initiator = try MultistreamInitiator(protocols: ["/a"])
    _ = initiator.start()
    let reply = Multistream.encodeMessage("/multistream/1.0.0") + Multistream.encodeMessage("/b")
    #expect(initiator.receive(reply) == [.failed(.unexpectedMessage("/b"))])
    #expect(initiator.receive([1]) == [.failed(.negotiationFinished)])
}

@Test func invalidLocalConfigurationIsRejected() {
    #expect(throws: MultistreamError.invalidConfiguration("no protocol to propose")) { try MultistreamInitiator(protocols: []) }
    #expect(throws: MultistreamError.invalidProtocolID("na")) { try MultistreamResponder(protocols: ["na"]) }
    #expect(throws: MultistreamError.invalidProtocolID("a\nb")) { try MultistreamInitiator(protocols: ["a\nb"]) }
    #expect(throws: MultistreamError.invalidConfiguration("maxAttempts must be at least 1")) {
        try MultistreamInitiator(protocols: ["/a"], configuration: .init(maxAttempts: 0))
    }
}

@Test func twoByteLengthPrefixesArriveInPieces() throws {
    // A 200-byte protocol id needs a two-byte length prefix; fed one byte at a time it negotiates.
    let long = "/" + String(repeating: "x", count: 199)
    var responder = try MultistreamResponder(protocols: [long])
    var actions: [MultistreamAction] = []
    for byte in Multistream.encodeMessage("/multistream/1.0.0") + Multistream.encodeMessage(long) {
        actions += responder.receive([byte])
    }
    #expect(actions.last == .negotiated(protocolID: long, leftover: []))
    #expect(Multistream.encodeMessage(long).prefix(2) == [0xC9, 0x01])
}

@Test func malformedLengthPrefixesAreRejected() throws {
    // Non-minimal (0x82 0x00 is 2 in two bytes) and longer than 9 bytes.
    for prefix: [UInt8] in [[0x82, 0x00], [UInt8](repeating: 0x80, count: 9) + [0x01]] {
        var responder = try MultistreamResponder(protocols: ["/a"])
        #expect(responder.receive(prefix).last == .failed(.malformedLengthPrefix))
    }
}

@Test func responderMaySendItsHeaderEagerly() throws {
    var responder = try MultistreamResponder(protocols: ["/noise"])
    #expect(responder.start() == [.send(Multistream.encodeMessage("/multistream/1.0.0"))])
    #expect(responder.start() == [])
    let actions = responder.receive(Multistream.encodeMessage("/multistream/1.0.0") + Multistream.encodeMessage("/noise"))
    #expect(actions == [.send(Multistream.encodeMessage("/noise")), .negotiated(protocolID: "/noise", leftover: [])])
    // The initiator accepts the header arriving before or with the echo.
    var initiator = try MultistreamInitiator(protocols: ["/noise"])
    _ = initiator.start()
    #expect(initiator.receive(Multistream.encodeMessage("/multistream/1.0.0")) == [])
    #expect(initiator.receive(Multistream.encodeMessage("/noise")) == [.negotiated(protocolID: "/noise", leftover: [])])
}

import Testing
import Mplex

@Suite struct MplexWireFormatTests {
    @Test func frameLayoutKnownAnswers() throws {
        // uvarint(number << 3 | flag), uvarint(length), payload
        let cases: [(MplexFrame, [UInt8])] = [
            (MplexFrame(streamNumber: 0, flag: .newStream, payload: Array("0".utf8)), [0x00, 0x01, 0x30]),
            (MplexFrame(streamNumber: 3, flag: .messageInitiator, payload: Array("hi".utf8)), [0x1A, 0x02, 0x68, 0x69]),
            (MplexFrame(streamNumber: 3, flag: .messageReceiver, payload: [0xFF]), [0x19, 0x01, 0xFF]),
            (MplexFrame(streamNumber: 17, flag: .closeReceiver), [0x8B, 0x01, 0x00]),
            (MplexFrame(streamNumber: 17, flag: .closeInitiator), [0x8C, 0x01, 0x00]),
            (MplexFrame(streamNumber: 1, flag: .resetReceiver), [0x0D, 0x00]),
            (MplexFrame(streamNumber: 1, flag: .resetInitiator), [0x0E, 0x00]),
            (MplexFrame(streamNumber: MplexFrame.maxStreamNumber, flag: .resetInitiator),
             [0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x00]),
        ]
        for (frame, bytes) in cases {
            #expect(frame.encoded == bytes)
            var parser = MplexFrameParser(maxPayloadLength: 16)
            parser.append(bytes)
            #expect(try parser.nextFrame() == frame)
            #expect(parser.bufferedByteCount == 0)
        }
        // A 300-byte payload has a two-byte length varint.
        let long = MplexFrame(streamNumber: 2, flag: .messageInitiator, payload: pattern(300, seed: 0))
        #expect(Array(long.encoded.prefix(3)) == [0x12, 0xAC, 0x02])
    }

    @Test func parserNeverConsumesAPartialFrame() throws {
        var parser = MplexFrameParser(maxPayloadLength: 1024)
        let first = MplexFrame(streamNumber: 200, flag: .messageReceiver, payload: pattern(130, seed: 1))
        let second = MplexFrame(streamNumber: 1, flag: .closeInitiator)
        let bytes = first.encoded + second.encoded
        let firstLength = first.encoded.count
        for index in 0..<(firstLength - 1) {
            parser.append(bytes[index...index])
            #expect(try parser.nextFrame() == nil)
            #expect(parser.bufferedByteCount == index + 1)
        }
        parser.append(bytes[(firstLength - 1)...])
        #expect(try parser.nextFrame() == first)
        #expect(try parser.nextFrame() == second)
        #expect(try parser.nextFrame() == nil)
    }

    @Test func malformedVarintsAreRejected() {
        var overlong = MplexFrameParser(maxPayloadLength: 16)
        overlong.append([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0x00])
        #expect(throws: MplexProtocolError.varintTooLong) { try overlong.nextFrame() }
        var nonMinimal = MplexFrameParser(maxPayloadLength: 16)
        nonMinimal.append([0x8A, 0x00, 0x00])
        #expect(throws: MplexProtocolError.nonMinimalVarint) { try nonMinimal.nextFrame() }
        var nonMinimalLength = MplexFrameParser(maxPayloadLength: 16)
        nonMinimalLength.append([0x0A, 0x81, 0x00, 0x01])
        #expect(throws: MplexProtocolError.nonMinimalVarint) { try nonMinimalLength.nextFrame() }
    }

    @Test func oversizedLengthIsRejectedBeforeThePayload() {
        var parser = MplexFrameParser(maxPayloadLength: MplexConfiguration.specMaxFrameLength)
        // stream 1, MessageInitiator, length 1 MiB + 1 = 0x100001 -> 81 80 40
        parser.append([0x0A, 0x81, 0x80, 0x40])
        #expect(throws: MplexProtocolError.frameTooLarge(length: 0x10_0001, limit: 0x10_0000)) {
            try parser.nextFrame()
        }
    }

    @Test func openStreamFrames() throws {
        var session = MplexSession()
        #expect(try session.openStream() == local(0))
        #expect(try session.openStream(name: []) == local(1))
        try session.write(local(0), [7])
        try session.closeWrite(local(0))
        session.reset(local(1))
        // Control frames (NewStream 0 "0", NewStream 1 "", ResetInitiator 1) go out first, then
        // the queued data of stream 0 and its close.
        #expect(session.takeOutbound() == [0x00, 0x01, 0x30, 0x08, 0x00, 0x0E, 0x00, 0x02, 0x01, 0x07, 0x04, 0x00])
    }

    @Test func repliesOnARemoteStreamUseReceiverFlags() {
        var session = MplexSession()
        #expect(session.receive([0x28, 0x00]) == [.streamOpened(remote(5), name: [])])
        #expect(throws: Never.self) { try session.write(remote(5), [1]) }
        #expect(throws: Never.self) { try session.closeWrite(remote(5)) }
        // MessageReceiver = 1, CloseReceiver = 3 on stream 5.
        #expect(session.takeOutbound() == [0x29, 0x01, 0x01, 0x2B, 0x00])
        session.reset(remote(5))
        #expect(session.takeOutbound() == [0x2D, 0x00])
    }

    @Test func configurationValidation() throws {
        #expect(try MplexConfiguration() == MplexConfiguration.standard)
        #expect(throws: MplexConfigurationError.frameLengthOutOfRange(2 * 1024 * 1024)) {
            try MplexConfiguration(maxFrameLength: 2 * 1024 * 1024)
        }
        #expect(throws: MplexConfigurationError.nonPositiveLimit("maxBufferedBytesPerStream")) {
            try MplexConfiguration(maxBufferedBytesPerStream: 0)
        }
    }
}

import NIOCore
import Testing
import Yamux

@Suite struct YamuxWireFormatTests {
    @Test func headerLayoutKnownAnswers() throws {
        // version, type, flags (BE16), stream ID (BE32), length (BE32)
        let cases: [(YamuxFrameHeader, [UInt8])] = [
            (.init(type: .data, flags: .syn, streamID: 1, length: 5),
             [0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x05]),
            (.init(type: .windowUpdate, flags: .ack, streamID: 2, length: 0x0004_0000),
             [0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x00, 0x04, 0x00, 0x00]),
            (.init(type: .data, flags: [.fin], streamID: 0x0102_0304, length: 0),
             [0x00, 0x00, 0x00, 0x04, 0x01, 0x02, 0x03, 0x04, 0x00, 0x00, 0x00, 0x00]),
            (.init(type: .windowUpdate, flags: .rst, streamID: 0xFFFF_FFFF, length: 0),
             [0x00, 0x01, 0x00, 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00]),
            (.init(type: .ping, flags: .syn, streamID: 0, length: 0xDEAD_BEEF),
             [0x00, 0x02, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0xDE, 0xAD, 0xBE, 0xEF]),
            (.init(type: .goAway, flags: [], streamID: 0, length: 2),
             [0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02]),
            (.init(type: .data, flags: [.syn, .ack, .fin, .rst], streamID: 7, length: 0x100),
             [0x00, 0x00, 0x00, 0x0F, 0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x01, 0x00]),
        ]
        for (header, bytes) in cases {
            #expect(header.encoded == bytes)
            #expect(try YamuxFrameHeader.decode(bytes) == header)
        }
    }

    @Test func decodeRejectsBadHeaders() {
        #expect(throws: YamuxProtocolError.unsupportedVersion(1)) {
            try YamuxFrameHeader.decode(frame(0, 0, 1, 0, version: 1))
        }
        #expect(throws: YamuxProtocolError.unknownFrameType(4)) { try YamuxFrameHeader.decode(frame(4, 0, 1, 0)) }
        #expect(throws: YamuxProtocolError.truncatedHeader) { try YamuxFrameHeader.decode(Array(frame(0, 0, 1, 0).prefix(11))) }
    }

    @Test func parserNeverConsumesAPartialFrame() throws {
        var parser = YamuxFrameParser(maxDataLength: 16)
        let bytes = frame(0, 0x1, 3, 4) + [9, 8, 7, 6] + frame(2, 0x1, 0, 42)
        for index in 0..<(12 + 4 - 1) {
            parser.append(bytes[index...index])
            #expect(try parser.nextFrame() == nil)
            #expect(parser.bufferedByteCount == index + 1)
        }
        parser.append(bytes[15...])
        let first = try #require(try parser.nextFrame())
        #expect(first.header == YamuxFrameHeader(type: .data, flags: .syn, streamID: 3, length: 4))
        #expect(first.payload == ByteBuffer(bytes: [9, 8, 7, 6]))
        let second = try #require(try parser.nextFrame())
        #expect(second.header == YamuxFrameHeader(type: .ping, flags: .syn, streamID: 0, length: 42))
        #expect(second.payload.readableBytes == 0)
        #expect(try parser.nextFrame() == nil)
        #expect(parser.bufferedByteCount == 0)
    }

    @Test func aPayloadInABufferOfItsOwnIsHandedOutAsThatBuffer() throws {
        var parser = YamuxFrameParser(maxDataLength: 1 << 16)
        parser.append(ByteBuffer(bytes: frame(1, 0, 1, 5) + frame(0, 0, 1, 4_000)))
        #expect(try parser.nextFrame()?.header.type == .windowUpdate)
        #expect(try parser.nextFrame() == nil)
        #expect(parser.bufferedByteCount == 12)
        let payload = ByteBuffer(bytes: (0..<4_000).map { UInt8(truncatingIfNeeded: $0) })
        parser.append(payload)
        let data = try #require(try parser.nextFrame())
        #expect(data.header == YamuxFrameHeader(type: .data, flags: [], streamID: 1, length: 4_000))
        #expect(data.payload == payload)
        let address = { (buffer: ByteBuffer) in buffer.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) } }
        #expect(address(data.payload) == address(payload))
        #expect(parser.bufferedByteCount == 0)
        #expect(try parser.nextFrame() == nil)
    }

    @Test func parserRejectsOversizedDataOnTheHeaderAlone() {
        var parser = YamuxFrameParser(maxDataLength: 16)
        parser.append(frame(0, 0, 1, 17))
        #expect(throws: YamuxProtocolError.frameTooLarge(length: 17, limit: 16)) { try parser.nextFrame() }
        // Window updates, pings and go-aways carry no payload whatever their length field says.
        var other = YamuxFrameParser(maxDataLength: 16)
        other.append(frame(1, 0, 1, 0xFFFF_FFFF))
        #expect((try? other.nextFrame())??.header.length == 0xFFFF_FFFF)
    }

    @Test func openStreamSendsSynOnAZeroDeltaWindowUpdate() throws {
        var client = YamuxSession(role: .client)
        var server = YamuxSession(role: .server)
        #expect(try client.openStream() == 1)
        #expect(try client.openStream() == 3)
        #expect(try server.openStream() == 2)
        #expect(client.takeOutbound() == frame(1, 0x1, 1, 0) + frame(1, 0x1, 3, 0))
        #expect(server.takeOutbound() == frame(1, 0x1, 2, 0))
    }

    @Test func inboundStreamIsAcknowledgedAndFramesMatchTheSpec() throws {
        var server = YamuxSession(role: .server)
        let events = server.receive(frame(0, 0x1, 1, 3) + [0x61, 0x62, 0x63])
        #expect(events == [.streamOpened(1), .data(1, ByteBuffer(bytes: [0x61, 0x62, 0x63]))])
        #expect(server.takeOutbound() == frame(1, 0x2, 1, 0))
        try server.write(1, [1, 2])
        try server.closeWrite(1)
        // Data, FIN piggybacked on the last data frame.
        #expect(server.takeOutbound() == frame(0, 0x4, 1, 2) + [1, 2])
        server.reset(1)
        #expect(server.takeOutbound() == frame(0, 0x8, 1, 0))
    }

    @Test func largerReceiveWindowIsAnnouncedInSeparateUpdates() throws {
        let config = try YamuxConfiguration(receiveWindow: 1024 * 1024)
        var client = YamuxSession(role: .client, configuration: config)
        _ = try client.openStream()
        #expect(client.takeOutbound() == frame(1, 0x1, 1, 0) + frame(1, 0, 1, 768 * 1024))
        var server = YamuxSession(role: .server, configuration: config)
        _ = server.receive(frame(1, 0x1, 1, 0))
        #expect(server.takeOutbound() == frame(1, 0x2, 1, 768 * 1024))
    }

    @Test func configurationValidation() throws {
        let standard = YamuxConfiguration.standard
        #expect(try YamuxConfiguration() == standard)
        #expect(standard.receiveWindow == 256 * 1024)
        #expect(throws: YamuxConfigurationError.receiveWindowOutOfRange(1000)) {
            try YamuxConfiguration(receiveWindow: 1000)
        }
        #expect(throws: YamuxConfigurationError.nonPositiveLimit("maxInboundStreams")) {
            try YamuxConfiguration(maxInboundStreams: 0)
        }
    }
}

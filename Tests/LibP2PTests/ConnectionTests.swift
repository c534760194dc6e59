import Noise
import Testing
import Yamux
@testable import LibP2P

@Suite struct ConnectionTests {
    @Test(arguments: [MuxerProtocol.yamux, .mplex], [false, true])
    func streamRoundTrip(muxer: MuxerProtocol, byteByByte: Bool) throws {
        var p = try ConnectionPair(muxer: muxer, byteByByte: byteByByte)
        #expect(p.dialer.negotiatedMuxer == muxer)
        let id = try p.dialer.openStream()
        try p.dialer.write(id, Array("hello".utf8))
        try p.dialer.closeWrite(id)
        try p.pump()
        let inbound = try #require(ConnectionPair.opened(p.listenerEvents).first)
        #expect(ConnectionPair.data(p.listenerEvents, on: inbound) == Array("hello".utf8))
        #expect(p.listenerEvents.last == .readClosed(inbound))
        // Answer on the same stream.
        try p.listener.write(inbound, Array("world".utf8))
        try p.listener.closeWrite(inbound)
        try p.pump()
        #expect(ConnectionPair.data(p.dialerEvents, on: id) == Array("world".utf8))
        #expect(p.dialerEvents.contains(.readClosed(id)))
        #expect(p.dialer.streamCount == 0)
        #expect(p.listener.streamCount == 0)
    }

    @Test(arguments: [MuxerProtocol.yamux, .mplex])
    func oneMebibyteWithBackpressure(muxer: MuxerProtocol) throws {
        var p = try ConnectionPair(muxer: muxer)
        let id = try p.dialer.openStream()
        let payload = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
        var sent = 0
        var maxCapacity = 0
        while sent < payload.count {
            let capacity = p.dialer.writeCapacity(of: id)
            maxCapacity = max(maxCapacity, capacity)
            #expect(capacity > 0)
            let n = min(capacity, payload.count - sent, 100_000)
            try p.dialer.write(id, Array(payload[sent..<(sent + n)]))
            sent += n
            try p.pump(maxBytes: 16 * 1024)
        }
        try p.dialer.closeWrite(id)
        try p.pump()
        let inbound = try #require(ConnectionPair.opened(p.listenerEvents).first)
        #expect(ConnectionPair.data(p.listenerEvents, on: inbound) == payload)
        #expect(maxCapacity <= max(YamuxConfiguration.standard.maxQueuedBytesPerStream, Connection.mplexOutboundBudget))
    }

    @Test func yamuxRefusesWritesBeyondCapacityUntilConsumed() throws {
        var p = try ConnectionPair(muxer: .yamux)
        p.autoConsume = false
        let id = try p.dialer.openStream()
        // Fill the remote's 256 KiB receive window and the local send queue.
        var written = 0
        while p.dialer.writeCapacity(of: id) > 0 {
            let n = p.dialer.writeCapacity(of: id)
            try p.dialer.write(id, [UInt8](repeating: 7, count: n))
            written += n
            try p.pump()
        }
        #expect(throws: MuxerUsageError.self) { try p.dialer.write(id, [1]) }
        let inbound = try #require(ConnectionPair.opened(p.listenerEvents).first)
        let received = ConnectionPair.data(p.listenerEvents, on: inbound).count
        #expect(received == Int(YamuxConfiguration.initialStreamWindow))
        // Consuming returns credit: the queue drains and capacity comes back.
        p.listener.consumed(inbound, received)
        try p.pump()
        #expect(p.dialer.writeCapacity(of: id) > 0)
        #expect(ConnectionPair.data(p.listenerEvents, on: inbound).count > received)
        #expect(written > received)
    }

    @Test(arguments: [MuxerProtocol.yamux, .mplex])
    func sixteenConcurrentStreams(muxer: MuxerProtocol) throws {
        var p = try ConnectionPair(muxer: muxer)
        var ids: [MuxedStreamID] = []
        for i in 0..<16 {
            let id = try p.listener.openStream()
            ids.append(id)
            try p.listener.write(id, [UInt8](repeating: UInt8(i), count: 1000 + i))
        }
        for id in ids { try p.listener.closeWrite(id) }
        try p.pump(maxBytes: 1500)
        let inbound = ConnectionPair.opened(p.dialerEvents)
        #expect(inbound.count == 16)
        for (i, id) in inbound.enumerated() {
            #expect(ConnectionPair.data(p.dialerEvents, on: id) == [UInt8](repeating: UInt8(i), count: 1000 + i))
        }
    }

    @Test(arguments: [MuxerProtocol.yamux, .mplex])
    func muxerBytesSentWithTheLastNegotiationMessageAreDelivered(muxer: MuxerProtocol) throws {
        var h = try UpgradeHarness(dialerMuxers: [muxer], listenerMuxers: [muxer])
        // Hold the listener's last message (the muxer echo) and append stream bytes to it.
        var held: [UInt8] = []
        h.tamper = { fromDialer, index, bytes in
            if !fromDialer, index == 2 {
                held = bytes
                bytes = []
            }
        }
        h.run()
        var listener = Connection(try #require(h.listenerOutcome.connection))
        #expect(listener.start().isEmpty)
        let id = try listener.openStream()
        try listener.write(id, Array("early".utf8))
        let chunk = held + (try listener.takeOutbound())
        if case .pending = h.dialerOutcome {} else { Issue.record("dialer finished too early") }
        let actions = h.dialer.receive(chunk)
        guard case .established(let upgraded) = actions.last else {
            Issue.record("expected established, got \(actions)")
            return
        }
        #expect(!upgraded.leftover.isEmpty)
        var dialer = Connection(upgraded)
        let events = dialer.start()
        let inbound = try #require(ConnectionPair.opened(events).first)
        #expect(ConnectionPair.data(events, on: inbound) == Array("early".utf8))
    }

    @Test func tamperedFrameEndsTheConnection() throws {
        var p = try ConnectionPair(muxer: .yamux)
        let id = try p.dialer.openStream()
        try p.dialer.write(id, [1, 2, 3])
        var bytes = try p.dialer.takeOutbound()
        bytes[bytes.count - 1] ^= 0xFF
        let events = p.listener.receive(bytes)
        #expect(events == [.failed(.secureChannel(.decryptionFailed))])
        #expect(p.listener.failure == .secureChannel(.decryptionFailed))
        #expect(p.listener.receive([0, 0]).isEmpty)
        #expect(throws: MuxerUsageError.sessionClosed) { try p.listener.openStream() }
        #expect(p.listener.writeCapacity(of: id) == 0)
    }

    @Test func muxerViolationEndsTheConnectionAfterAGoAway() throws {
        var h = try UpgradeHarness(dialerMuxers: [.yamux], listenerMuxers: [.yamux])
        h.run()
        var evil = try #require(h.listenerOutcome.connection)
        var dialer = Connection(try #require(h.dialerOutcome.connection))
        _ = dialer.start()
        // A yamux header with version 1.
        let garbage = try evil.transport.encrypt([1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0])
        let events = dialer.receive(garbage)
        #expect(events == [.failed(.muxer(.yamux(.unsupportedVersion(1))))])
        // The go-away (protocol error) still goes out, encrypted.
        let last = try dialer.takeOutbound()
        let plaintext = try evil.transport.receiveAndDecrypt(last)
        #expect(plaintext.count == 12 && plaintext[1] == 3)
        #expect(plaintext.suffix(4) == [0, 0, 0, 1])
    }

    @Test func mplexViolationEndsTheConnection() throws {
        var h = try UpgradeHarness(dialerMuxers: [.mplex], listenerMuxers: [.mplex])
        h.run()
        var evil = try #require(h.listenerOutcome.connection)
        var dialer = Connection(try #require(h.dialerOutcome.connection))
        _ = dialer.start()
        // Header varint with flag 7.
        let garbage = try evil.transport.encrypt([0x07, 0x00])
        #expect(dialer.receive(garbage) == [.failed(.muxer(.mplex(.unknownFlag(7))))])
    }

    @Test func gracefulCloseWithYamux() throws {
        var p = try ConnectionPair(muxer: .yamux)
        let id = try p.dialer.openStream()
        p.dialer.close()
        #expect(!p.dialer.isOpen)
        #expect(throws: MuxerUsageError.sessionClosed) { try p.dialer.openStream() }
        // Existing streams keep working while closing.
        try p.dialer.write(id, [9])
        try p.pump()
        #expect(p.listenerEvents.contains(.remoteGoingAway))
        #expect(ConnectionPair.data(p.listenerEvents) == [9])
        p.dialer.peerClosed()
        #expect(p.dialer.isEnded)
        #expect(p.dialer.failure == nil)
    }

    @Test func peerClosingAnOpenConnectionEndsItWithoutError() throws {
        var p = try ConnectionPair(muxer: .mplex)
        let id = try p.dialer.openStream()
        p.dialer.peerClosed()
        #expect(p.dialer.isEnded && !p.dialer.isOpen)
        #expect(p.dialer.failure == nil)
        #expect(throws: MuxerUsageError.sessionClosed) { try p.dialer.write(id, [1]) }
        #expect(p.dialer.receive([1, 2, 3]).isEmpty)
    }
}

extension NoiseTransport {
    mutating func receiveAndDecrypt(_ bytes: [UInt8]) throws -> [UInt8] {
        receive(bytes)
        return try decryptAvailable()
    }
}

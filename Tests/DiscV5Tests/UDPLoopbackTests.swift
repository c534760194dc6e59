import DiscV5
import DiscV5NIO
import ENR
import P2PCrypto
import Testing

/// Two discovery services over real UDP on the loopback interface.
@Suite(.serialized) struct UDPLoopbackTests {
    /// No retransmission within a test: on a loaded 2-core machine a reply can take longer
    /// than the default 500 ms, and a retried request starts a second handshake, which would
    /// break the exact session counts below.
    static var patientConfig: DiscoveryConfig {
        var config = DiscoveryConfig()
        config.session.requestTimeout = .seconds(10)
        config.session.handshakeTimeout = .seconds(10)
        return config
    }

    @Test(.timeLimit(.minutes(1)))
    func handshakePingFindNodeTalkSessionReuseAndRehandshake() async throws {
        var random = SystemRandomNumberGenerator()
        let keyA = Secp256k1.PrivateKey.generate(using: &random)
        let keyB = Secp256k1.PrivateKey.generate(using: &random)
        let config = Self.patientConfig
        let a = try await DiscoveryService.start(key: keyA, config: config, host: "127.0.0.1", port: 0)
        var b = try await DiscoveryService.start(key: keyB, config: config, host: "127.0.0.1", port: 0)
        await b.registerTalkProtocol(Array("echo".utf8)) { _, request in request + request }
        let recordA = await a.localRecord
        let recordB = await b.localRecord
        #expect(try recordB.udp == b.boundEndpoint.port)

        // Handshake + PING.
        let pong = try await a.ping(recordB)
        #expect(pong.recipientIP == [127, 0, 0, 1])
        #expect(pong.recipientPort == a.boundEndpoint.port)
        #expect(await a.statistics.sessionsEstablished == 1)
        #expect(await b.statistics.sessionsEstablished == 1)
        #expect(await a.tableCount == 1)
        #expect(await b.tableCount == 1)

        // FINDNODE: B's table holds A; distance 0 is B itself.
        let distance = UInt16(recordB.discoveryNodeID.logDistance(to: recordA.discoveryNodeID))
        #expect(try await a.findNode(recordB, distances: [distance]) == [recordA])
        #expect(try await a.findNode(recordB, distances: [0]) == [recordB])

        // TALKREQ.
        #expect(try await a.talk(recordB, protocolName: Array("echo".utf8), request: [7, 8]) == [7, 8, 7, 8])

        // All of that in the one session.
        #expect(await a.statistics.sessionsEstablished == 1)
        #expect(await a.sessionCount == 1)

        // B restarts on the same port with a fresh session cache: A's next request is
        // challenged and a new handshake follows.
        let port = Int(b.boundEndpoint.port)
        await b.stop()
        b = try await DiscoveryService.start(key: keyB, config: config, host: "127.0.0.1", port: port)
        #expect(await b.sessionCount == 0)
        let again = try await a.ping(await b.localRecord)
        #expect(again.recipientPort == a.boundEndpoint.port)
        #expect(await a.statistics.sessionsEstablished == 2)
        #expect(await b.statistics.sessionsEstablished == 1)

        await a.stop()
        await b.stop()
    }

    /// The service sleeps until the core's next deadline: a request to a node that never answers
    /// fails after its retries with a handful of wake-ups, where polling every 20 ms woke 50
    /// times a second whatever was due.
    @Test(.timeLimit(.minutes(1)))
    func anUnansweredRequestFailsOnItsDeadlinesWithoutPolling() async throws {
        var random = SystemRandomNumberGenerator()
        var config = DiscoveryConfig()
        config.session.requestTimeout = .milliseconds(300)
        config.session.handshakeTimeout = .milliseconds(300)
        config.session.requestRetries = 1
        let silent = try await DiscoveryService.start(key: .generate(using: &random), config: config, host: "127.0.0.1", port: 0)
        let silentRecord = await silent.localRecord
        await silent.stop()
        let a = try await DiscoveryService.start(key: .generate(using: &random), config: config, host: "127.0.0.1", port: 0)
        let start = ContinuousClock.now
        await #expect(throws: DiscoveryServiceError.requestFailed(.timeout)) { try await a.ping(silentRecord) }
        let elapsed = ContinuousClock.now - start
        // The request's retry and its failure, and at most a few spurious early wakes.
        let wakes = await a.timerWakeCount
        #expect(wakes >= 2 && wakes <= 6, "\(wakes) wake-ups in \(elapsed)")
        await a.stop()
    }

    /// A service on loopback that is a topic registrar.
    static func startRegistrar() async throws -> DiscoveryService {
        var random = SystemRandomNumberGenerator()
        var config = patientConfig
        config.topicRegistrar = TopicRegistrarConfig()
        return try await DiscoveryService.start(key: .generate(using: &random), config: config, host: "127.0.0.1", port: 0)
    }

    /// Topic discovery over UDP: one node advertises at a registrar, retrying with its ticket
    /// after the wait it was given, and a third node finds it there.
    @Test(.timeLimit(.minutes(1)))
    func anAdvertisementPlacedAtARegistrarIsFoundByAThirdNode() async throws {
        var random = SystemRandomNumberGenerator()
        let registrar = try await Self.startRegistrar()
        let advertiser = try await DiscoveryService.start(key: .generate(using: &random), config: Self.patientConfig,
                                                          host: "127.0.0.1", port: 0)
        let searcher = try await DiscoveryService.start(key: .generate(using: &random), config: Self.patientConfig,
                                                        host: "127.0.0.1", port: 0)
        let topic = TopicID(hashing: "aztec/1/tx")
        let registrarRecord = await registrar.localRecord

        var ticket: [UInt8] = []
        var attempts = 0
        while true {
            attempts += 1
            let confirmation = try await advertiser.registerTopic(topic, at: registrarRecord, ticket: ticket)
            if confirmation.isAdmitted {
                #expect(confirmation.waitTime == 900_000)
                break
            }
            #expect(attempts < 10)
            if attempts >= 10 { return }
            ticket = confirmation.ticket
            // The registrar's instruction: try again after this many milliseconds.
            try await Task.sleep(for: .milliseconds(Int64(confirmation.waitTime)))
        }
        #expect(attempts >= 2)
        #expect(try await searcher.queryTopic(topic, at: registrarRecord) == [await advertiser.localRecord])
        #expect(try await searcher.queryTopic(TopicID(hashing: "other"), at: registrarRecord).isEmpty)

        await registrar.stop()
        await advertiser.stop()
        await searcher.stop()
    }

    /// The async API end to end over UDP: a node advertises through its bootnode, which is a
    /// registrar, and a third node's search stream yields it.
    @Test(.timeLimit(.minutes(1)))
    func anAdvertisingNodeIsStreamedToASearcher() async throws {
        var random = SystemRandomNumberGenerator()
        let registrar = try await Self.startRegistrar()
        #expect(try await registrar.localRecord.topicDiscoveryVersion == TopicDiscovery.version)
        var config = Self.patientConfig
        config.bootnodes = [await registrar.localRecord]
        let advertiser = try await DiscoveryService.start(key: .generate(using: &random), config: config, host: "127.0.0.1", port: 0)
        let searcher = try await DiscoveryService.start(key: .generate(using: &random), config: config, host: "127.0.0.1", port: 0)
        let topic = TopicID(hashing: "/aztec/1/tx/1")
        #expect(await advertiser.advertise(topic))

        var found = searcher.search(topic, every: .milliseconds(100)).makeAsyncIterator()
        let first = await found.next()
        #expect(first == (await advertiser.localRecord))
        let status = await advertiser.advertisementStatus(of: topic)
        #expect(status?.placed == 1 && status?.admissions == 1)

        await registrar.stop()
        await advertiser.stop()
        await searcher.stop()
    }

    @Test(.timeLimit(.minutes(1)))
    func aLookupThroughABootnodeFindsTheOtherNodes() async throws {
        var random = SystemRandomNumberGenerator()
        let boot = try await DiscoveryService.start(key: .generate(using: &random), host: "127.0.0.1", port: 0)
        var config = DiscoveryConfig()
        config.bootnodes = [await boot.localRecord]
        // All on 127.0.0.1: the subnet limit must admit them.
        config.table.maximumPerSubnetInBucket = nil
        config.table.maximumPerSubnetInTable = nil
        var services: [DiscoveryService] = []
        for _ in 0..<4 {
            services.append(try await DiscoveryService.start(key: .generate(using: &random), config: config, host: "127.0.0.1", port: 0))
        }
        let found = await services[0].randomLookup()
        #expect(found.count >= 1)
        var peers = services[0].discoveredPeers.makeAsyncIterator()
        let first = await peers.next()
        #expect(first != nil)
        for service in services { await service.stop() }
        await boot.stop()
    }
}

@testable import DiscV5
import ENR
import P2PCrypto
import Testing
import TestSupport

/// A ``DiscoveryNode`` acting as a registrar, reached over its real packets (sessions,
/// handshakes, encryption) by clients that speak REGTOPIC and TOPICQUERY through their own
/// session handlers.
@Suite("topic registrar node")
struct TopicRegistrarNodeTests {
    struct Client {
        var identity: TestIdentity
        var handler: SessionHandler
        var contact: NodeContact { NodeContact(record: identity.record, endpoint: identity.endpoint) }
    }

    var random = SeededRandom(seed: 21)
    var now: Duration = .seconds(1)
    var registrar: DiscoveryNode
    let registrarIdentity: TestIdentity
    let topic = TopicID(hashing: "aztec/1/tx")

    init(registrarConfig: TopicRegistrarConfig? = TopicRegistrarConfig()) throws {
        var random = SeededRandom(seed: 20)
        registrarIdentity = try TestIdentity(ip: [127, 0, 0, 1], port: 30_000, topicDiscovery: true, using: &random)
        var config = DiscoveryConfig()
        config.topicRegistrar = registrarConfig
        registrar = try DiscoveryNode(key: registrarIdentity.key, record: registrarIdentity.record, config: config)
    }

    mutating func client(port: UInt16, ip: [UInt8] = [127, 0, 0, 1], topicDiscovery: Bool = false) throws -> Client {
        let identity = try TestIdentity(ip: ip, port: port, topicDiscovery: topicDiscovery, using: &random)
        return Client(identity: identity, handler: try SessionHandler(key: identity.key, record: identity.record))
    }

    /// Sends `message` from `client` and passes packets both ways until nothing is left to send;
    /// returns the responses the client received.
    mutating func exchange(_ message: Message, from client: inout Client) -> [Message] {
        let target = NodeContact(record: registrarIdentity.record, endpoint: registrarIdentity.endpoint)
        var outbound = client.handler.sendRequest(message, to: target, now: now, using: &random)
        var responses: [Message] = []
        for _ in 0..<10 where !outbound.isEmpty {
            var inbound: [SessionAction] = []
            for case .send(let packet, _) in outbound {
                for case .send(let reply, _) in registrar.handlePacket(packet, from: client.identity.endpoint, now: now, using: &random) {
                    inbound += client.handler.handlePacket(reply, from: registrarIdentity.endpoint, now: now, using: &random)
                }
            }
            for case .response(let response, _) in inbound { responses.append(response) }
            outbound = inbound.filter { if case .send = $0 { true } else { false } }
        }
        return responses
    }

    @Test mutating func anAdvertiserIsAdmittedWithItsTicketAndFoundByASearcher() throws {
        var advertiser = try client(port: 30_001)
        var searcher = try client(port: 30_002)
        let first = exchange(.regTopic(RegisterTopic(requestID: RequestID(1), topic: topic, record: advertiser.identity.record,
                                                      topicDistances: [256])), from: &advertiser)
        guard case .regConfirmation(let waiting)? = first.first, first.count == 1 else {
            Issue.record("expected one REGCONFIRMATION, got \(first)"); return
        }
        #expect(!waiting.isAdmitted && waiting.total == 1 && waiting.waitTime >= 1)
        now += .milliseconds(Int64(waiting.waitTime))
        let second = exchange(.regTopic(RegisterTopic(requestID: RequestID(2), topic: topic, record: advertiser.identity.record,
                                                       ticket: waiting.ticket)), from: &advertiser)
        #expect(second == [.regConfirmation(RegisterConfirmation(requestID: RequestID(2), ticket: [], waitTime: 900_000))])
        #expect(registrar.topicRegistrar?.count(of: topic) == 1)

        let found = exchange(.topicQuery(TopicQuery(requestID: RequestID(3), topic: topic)), from: &searcher)
        #expect(found == [.topicNodes(TopicNodes(requestID: RequestID(3), total: 1, records: [advertiser.identity.record]))])
        let none = exchange(.topicQuery(TopicQuery(requestID: RequestID(4), topic: TopicID(hashing: "nothing"))), from: &searcher)
        #expect(none == [.topicNodes(TopicNodes(requestID: RequestID(4), total: 1, records: []))])
    }

    /// Delivers `actions` of `client` (a full ``DiscoveryNode``) and everything they cause between
    /// it and the registrar; returns the client's non-send actions.
    mutating func run(_ actions: [DiscoveryAction], client: inout DiscoveryNode, endpoint: Endpoint) -> [DiscoveryAction] {
        var outbound = actions
        var reported: [DiscoveryAction] = []
        for _ in 0..<10 where !outbound.isEmpty {
            var inbound: [DiscoveryAction] = []
            for action in outbound {
                guard case .send(let packet, _) = action else { reported.append(action); continue }
                for case .send(let reply, _) in registrar.handlePacket(packet, from: endpoint, now: now, using: &random) {
                    inbound += client.handlePacket(reply, from: registrarIdentity.endpoint, now: now, using: &random)
                }
            }
            outbound = inbound
        }
        return reported
    }

    @Test mutating func discoveryNodesRegisterAndQueryThroughTheirOwnRequests() throws {
        let advertiserIdentity = try TestIdentity(ip: [127, 0, 0, 1], port: 30_005, using: &random)
        var advertiser = try DiscoveryNode(key: advertiserIdentity.key, record: advertiserIdentity.record)
        var ticket: [UInt8] = []
        var admitted = false
        for _ in 0..<5 where !admitted {
            let (id, actions) = advertiser.registerTopic(topic, at: registrarIdentity.record, ticket: ticket, now: now, using: &random)
            let reported = run(actions, client: &advertiser, endpoint: advertiserIdentity.endpoint)
            guard case .topicRegistration(id, let confirmation, let from)? = reported.last else {
                Issue.record("no answer: \(reported)"); return
            }
            #expect(from == registrarIdentity.nodeID)
            admitted = confirmation.isAdmitted
            ticket = confirmation.ticket
            if !admitted { now += .milliseconds(Int64(confirmation.waitTime)) }
        }
        #expect(admitted)
        let searcherIdentity = try TestIdentity(ip: [127, 0, 0, 1], port: 30_006, using: &random)
        var searcher = try DiscoveryNode(key: searcherIdentity.key, record: searcherIdentity.record)
        let (id, actions) = searcher.queryTopic(topic, at: registrarIdentity.record, now: now, using: &random)
        let reported = run(actions, client: &searcher, endpoint: searcherIdentity.endpoint)
        #expect(reported.contains(.topicNodes(id, [advertiserIdentity.record], from: registrarIdentity.nodeID)))
    }

    @Test mutating func aSearchFromTheBootnodesFindsTheAdvertiser() throws {
        let advertiserIdentity = try TestIdentity(ip: [127, 0, 0, 1], port: 30_007, using: &random)
        var advertiser = try DiscoveryNode(key: advertiserIdentity.key, record: advertiserIdentity.record)
        var ticket: [UInt8] = []
        for _ in 0..<5 {
            let (_, actions) = advertiser.registerTopic(topic, at: registrarIdentity.record, ticket: ticket, now: now, using: &random)
            guard case .topicRegistration(_, let confirmation, _)? = run(actions, client: &advertiser,
                                                                        endpoint: advertiserIdentity.endpoint).last
            else { Issue.record("no answer"); return }
            if confirmation.isAdmitted { break }
            ticket = confirmation.ticket
            now += .milliseconds(Int64(confirmation.waitTime))
        }
        let searcherIdentity = try TestIdentity(ip: [127, 0, 0, 1], port: 30_008, using: &random)
        var config = DiscoveryConfig()
        config.bootnodes = [registrarIdentity.record]
        var searcher = try DiscoveryNode(key: searcherIdentity.key, record: searcherIdentity.record, config: config)
        let (id, actions) = searcher.searchTopic(topic, now: now, using: &random)
        let searchID = try #require(id)
        let reported = run(actions, client: &searcher, endpoint: searcherIdentity.endpoint)
        #expect(reported.contains(.topicSearchFinished(searchID, [advertiserIdentity.record])))
    }

    @Test mutating func hintsAreAnsweredWithOneCapableTableRecordPerDistance() throws {
        // Nodes that talked to the registrar are in its table; a quarter do not speak TopDisc.
        var members: [Client] = []
        for index in 0..<24 {
            var member = try client(port: 9000, ip: [10, 0, UInt8(index), 1], topicDiscovery: index % 4 != 0)
            #expect(exchange(.ping(Ping(requestID: RequestID(UInt64(index)), enrSeq: 1)), from: &member).count == 1)
            members.append(member)
        }
        #expect(registrar.table.count == members.count)
        let capable = members.filter { ServiceTable.isCapable($0.identity.record) }
        let capableDistances = Set(capable.map { topic.logDistance(to: $0.identity.nodeID) })
        var hints: [UInt16] = []
        for distance in (200...256).reversed() where capableDistances.contains(distance) || distance % 3 == 0 {
            hints.append(UInt16(distance))
        }
        var searcher = try client(port: 30_002)

        for request in [Message.topicQuery(TopicQuery(requestID: RequestID(100), topic: topic, topicDistances: Array(hints.prefix(16)))),
                        .regTopic(RegisterTopic(requestID: RequestID(101), topic: topic, record: searcher.identity.record,
                                                topicDistances: Array(hints.prefix(16))))] {
            let answers = exchange(request, from: &searcher)
            var auxiliary: [NodeRecord] = []
            var totals: Set<UInt64> = []
            for answer in answers {
                switch answer {
                case .nodes(let nodes): auxiliary += nodes.records; totals.insert(nodes.total)
                case .topicNodes(let nodes): #expect(nodes.records.isEmpty); totals.insert(nodes.total)
                case .regConfirmation(let confirmation): totals.insert(confirmation.total)
                default: Issue.record("unexpected \(answer)")
                }
            }
            #expect(totals == [UInt64(answers.count)])
            let asked = Set(hints.prefix(16).map(Int.init))
            let distances = auxiliary.map { topic.logDistance(to: $0.discoveryNodeID) }
            #expect(Set(distances) == capableDistances.intersection(asked))
            #expect(distances.count == Set(distances).count)
            #expect(auxiliary.allSatisfy(ServiceTable.isCapable))
        }
    }

    @Test mutating func aRecordThatIsNotTheSendersOwnIsNotRegistered() throws {
        var advertiser = try client(port: 30_001)
        let other = try client(port: 30_003)
        let answers = exchange(.regTopic(RegisterTopic(requestID: RequestID(1), topic: topic, record: other.identity.record)),
                               from: &advertiser)
        #expect(answers.isEmpty)
        #expect(registrar.statistics.topicRegistrationsRefused == 1)
        #expect(registrar.topicRegistrar?.statistics.ticketsIssued == 0)
    }

    @Test mutating func aNodeThatIsNoRegistrarIgnoresTopicRequests() throws {
        var plain = try TopicRegistrarNodeTests(registrarConfig: nil)
        var searcher = try plain.client(port: 30_002)
        #expect(plain.exchange(.topicQuery(TopicQuery(requestID: RequestID(1), topic: topic)), from: &searcher).isEmpty)
        #expect(plain.registrar.topicRegistrar == nil)
        #expect(plain.registrar.statistics.protocolViolations == 0)
    }
}

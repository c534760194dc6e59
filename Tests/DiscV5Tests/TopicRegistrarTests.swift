@testable import DiscV5
import ENR
import Foundation
import Testing
import TestSupport

/// The registrar's admission control (discv5 theory, "Registrar Behaviour"): waiting times by
/// the spec's formula, tickets, capacity, expiry and the lower bound on repeated asking.
@Suite("topic registrar")
struct TopicRegistrarTests {
    let topic = TopicID(hashing: "aztec/1/tx")
    var random = SeededRandom(seed: 11)

    /// A signed record for a node at `ip`.
    mutating func advertiser(_ ip: [UInt8]) throws -> (record: NodeRecord, id: NodeID) {
        let identity = try TestIdentity(ip: ip, port: 9000, using: &random)
        return (identity.record, identity.nodeID)
    }

    /// Registers until admitted, retrying with each ticket after its wait; returns the time of admission.
    static func admit(_ registrar: inout TopicRegistrar, topic: TopicID, _ advertiser: (record: NodeRecord, id: NodeID),
                      ip: [UInt8], from start: Duration) -> Duration {
        var now = start
        var ticket: [UInt8] = []
        for _ in 0..<100 {
            let (outcome, problem) = registrar.register(topic: topic, record: advertiser.record, nodeID: advertiser.id,
                                                        ip: ip, ticket: ticket, now: now)
            #expect(problem == nil)
            switch outcome {
            case .admitted: return now
            case .wait(let next, let wait):
                ticket = next
                now += wait
            }
        }
        Issue.record("not admitted after 100 attempts")
        return now
    }

    @Test mutating func aFirstRegistrationWaitsOnceThenIsAdmittedWithItsTicket() throws {
        var registrar = TopicRegistrar(using: &random)
        let node = try advertiser([10, 0, 0, 1])
        let (first, problem) = registrar.register(topic: topic, record: node.record, nodeID: node.id, ip: [10, 0, 0, 1],
                                                  ticket: [], now: .seconds(5))
        #expect(problem == nil)
        guard case .wait(let ticket, let wait) = first else { Issue.record("admitted without a ticket"); return }
        // An empty cache: w = E · G = 90 µs, rounded up to the wire's 1 ms.
        #expect(wait == .milliseconds(1))
        #expect(ticket.count == 88)
        let (second, _) = registrar.register(topic: topic, record: node.record, nodeID: node.id, ip: [10, 0, 0, 1],
                                             ticket: ticket, now: .seconds(5) + wait)
        #expect(second == .admitted(lifetime: .seconds(900)))
        #expect(registrar.count == 1 && registrar.count(of: topic) == 1)
        #expect(registrar.advertisers(of: topic, now: .seconds(6), using: &random) == [node.record])
        // Expired after E.
        #expect(registrar.nextExpiry == .seconds(5) + wait + .seconds(900))
        #expect(registrar.advertisers(of: topic, now: .seconds(906), using: &random).isEmpty)
        #expect(registrar.count == 0 && registrar.statistics.expired == 1)
    }

    @Test mutating func waitingTimesFollowTheSpecsFormula() throws {
        var config = TopicRegistrarConfig()
        config.capacity = 100
        var registrar = TopicRegistrar(config: config, using: &random)
        // Ten advertisements of ten topics from ten IPv4 /8s.
        var now = Duration.zero
        let topics = (0..<10).map { TopicID(hashing: "topic \($0)") }
        for index in 0..<10 {
            let ip: [UInt8] = [UInt8(10 + index * 20), 1, 2, 3]
            now = Self.admit(&registrar, topic: topics[index], try advertiser(ip), ip: ip, from: now)
        }
        #expect(registrar.count == 10)
        // An IPv6 advertiser scores 0 against an IPv4-only tree, so only the topic share counts:
        // w = E / (1 − c/C)^Pocc · (c(topic)/c + G).
        let ip6: [UInt8] = [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 12)
        let scale: Double = 900.0 / pow(0.9, 10.0)
        func seconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        }
        #expect(abs(seconds(registrar.waitingTime(topic: topics[0], ip: ip6, now: now)) - scale * (0.1 + 1e-7)) < 1e-6)
        // An uncached topic: the safety term alone.
        let other = TopicID(hashing: "another topic")
        #expect(abs(seconds(registrar.waitingTime(topic: other, ip: ip6, now: now)) - scale * 1e-7) < 1e-9)
        // The same /24 as a cached advertiser waits longer than an unrepresented /1.
        let crowded = registrar.waitingTime(topic: other, ip: [30, 1, 2, 99], now: now)
        let fresh = registrar.waitingTime(topic: other, ip: [255, 1, 2, 3], now: now)
        #expect(crowded > fresh)
        #expect(seconds(crowded) > scale * 0.05)
    }

    @Test func addressScoresRewardDiversity() {
        var tree = IPSimilarityTree()
        let empty = IPSimilarityTree.Address([10, 0, 0, 1])!
        #expect(tree.score(empty) == 0)
        for last in 0..<20 { tree.insert(IPSimilarityTree.Address([10, 0, 0, UInt8(last)])!) }
        // Every advertisement in one /24: a newcomer from it scores 1 on each of the 24 levels.
        let sameSubnet = tree.score(IPSimilarityTree.Address([10, 0, 0, 200])!)
        #expect(abs(sameSubnet - 0.75) < 1e-12)
        // One that shares the first 27 bits with all of them scores more.
        #expect(tree.score(IPSimilarityTree.Address([10, 0, 0, 21])!) > 27.0 / 32)
        #expect(tree.score(IPSimilarityTree.Address([200, 0, 0, 1])!) == 0)
        // IPv6: one tree over /64 prefixes, separate from IPv4.
        let v6 = IPSimilarityTree.Address([0x20, 0x01] + [UInt8](repeating: 0, count: 14))!
        #expect(tree.score(v6) == 0)
        for last in 0..<20 { tree.remove(IPSimilarityTree.Address([10, 0, 0, UInt8(last)])!) }
        #expect(tree.counts.isEmpty)
    }

    @Test mutating func ticketsAreBoundToTheirRegistrarAdvertisementAndWindow() throws {
        var registrar = TopicRegistrar(using: &random)
        var elsewhere = TopicRegistrar(using: &random)
        let node = try advertiser([10, 0, 0, 1])
        let ip: [UInt8] = [10, 0, 0, 1]
        // One advertisement of the topic and two of others: the topic's share is a third.
        var now = Duration.zero
        for index in 0..<3 {
            let other: [UInt8] = [UInt8(50 + index * 50), 0, 0, 1]
            now = Self.admit(&registrar, topic: index == 0 ? topic : TopicID(hashing: "filler \(index)"),
                             try advertiser(other), ip: other, from: now)
        }
        func attempt(_ registrar: inout TopicRegistrar, _ ticket: [UInt8], _ topic: TopicID, at time: Duration)
            -> (TopicRegistrar.Outcome, TopicRegistrar.TicketProblem?) {
            registrar.register(topic: topic, record: node.record, nodeID: node.id, ip: ip, ticket: ticket, now: time)
        }
        guard case (.wait(let ticket, let wait), nil) = attempt(&registrar, [], topic, at: now) else {
            Issue.record("expected a ticket"); return
        }
        #expect(wait > .seconds(60))
        var tampered = ticket
        tampered[40] ^= 1
        #expect(attempt(&registrar, tampered, topic, at: now + wait).1 == .notIssuedHere)
        #expect(attempt(&elsewhere, ticket, topic, at: now + wait).1 == .notIssuedHere)
        #expect(attempt(&registrar, ticket, TopicID(hashing: "other"), at: now + wait).1 == .otherAdvertisement)
        #expect(attempt(&registrar, ticket, topic, at: now + wait - .seconds(1)).1 == .early)
        // The genuine ticket in its window counts the wait since the first attempt: admitted.
        let (outcome, problem) = attempt(&registrar, ticket, topic, at: now + wait + .seconds(2))
        #expect(problem == nil)
        #expect(outcome == .admitted(lifetime: .seconds(900)))
        #expect(attempt(&registrar, ticket, topic, at: now + wait + .seconds(11)).1 == .late)
        #expect(registrar.statistics.ticketsRefused == 4)
    }

    @Test mutating func aFullCacheAdmitsNothingUntilAnAdvertisementExpires() throws {
        var config = TopicRegistrarConfig()
        config.capacity = 4
        config.adLifetime = .seconds(100)
        config.occupancyExponent = 1
        var registrar = TopicRegistrar(config: config, using: &random)
        var now = Duration.zero
        var admittedAt: [Duration] = []
        for index in 0..<4 {
            let ip: [UInt8] = [UInt8(10 + index * 60), 0, 0, 1]
            now = Self.admit(&registrar, topic: TopicID(hashing: "t\(index)"), try advertiser(ip), ip: ip, from: now)
            admittedAt.append(now)
        }
        #expect(registrar.count == 4)
        let late = try advertiser([99, 0, 0, 1])
        let (outcome, _) = registrar.register(topic: topic, record: late.record, nodeID: late.id, ip: [99, 0, 0, 1],
                                              ticket: [], now: now)
        // Full: the longest single wait, E.
        guard case .wait(_, let wait) = outcome else { Issue.record("admitted into a full cache"); return }
        #expect(wait == .seconds(100))
        let admitted = Self.admit(&registrar, topic: topic, late, ip: [99, 0, 0, 1], from: now)
        #expect(admitted >= admittedAt[0] + .seconds(100))
        #expect(registrar.count <= 4)
    }

    @Test mutating func withoutAdmissionControlEveryRegistrationIsAdmittedWhileThereIsRoom() throws {
        var config = TopicRegistrarConfig()
        config.capacity = 3
        config.admissionControl = false
        var registrar = TopicRegistrar(config: config, using: &random)
        // Three advertisers from one /24, which admission control would make wait about E each.
        for host in 1...3 {
            let ip: [UInt8] = [10, 0, 0, UInt8(host)]
            let node = try advertiser(ip)
            let (outcome, _) = registrar.register(topic: topic, record: node.record, nodeID: node.id, ip: ip, ticket: [], now: .seconds(1))
            #expect(outcome == .admitted(lifetime: config.adLifetime))
        }
        let ip: [UInt8] = [10, 0, 0, 4]
        let late = try advertiser(ip)
        let (outcome, _) = registrar.register(topic: topic, record: late.record, nodeID: late.id, ip: ip, ticket: [], now: .seconds(1))
        guard case .wait(_, let wait) = outcome else { Issue.record("admitted into a full cache"); return }
        #expect(wait == config.adLifetime)
        #expect(registrar.count == 3)
    }

    @Test mutating func aRenewalReplacesTheAdvertisementInsteadOfDuplicatingIt() throws {
        var registrar = TopicRegistrar(using: &random)
        let node = try advertiser([10, 0, 0, 1])
        let first = Self.admit(&registrar, topic: topic, node, ip: [10, 0, 0, 1], from: .zero)
        let renewed = Self.admit(&registrar, topic: topic, node, ip: [10, 0, 0, 1], from: first + .seconds(800))
        #expect(registrar.count == 1)
        #expect(registrar.advertisements.first?.expiry == renewed + .seconds(900))
        // Still cached past the first lifetime.
        #expect(registrar.advertisers(of: topic, now: first + .seconds(950), using: &random) == [node.record])
    }

    @Test mutating func aRenewalCountsItsTimeInTheCacheAsWaited() throws {
        var registrar = TopicRegistrar(using: &random)
        // Eight other topics, then two advertisers of `topic`: the second waits for its share (1/9).
        var now = Duration.zero
        for index in 0..<8 {
            let ip: [UInt8] = [UInt8(10 + 20 * index), 0, 0, 1]
            now = Self.admit(&registrar, topic: TopicID(hashing: "other \(index)"), try advertiser(ip), ip: ip, from: now)
        }
        now = Self.admit(&registrar, topic: topic, try advertiser([180, 0, 0, 1]), ip: [180, 0, 0, 1], from: now)
        let holder = try advertiser([200, 0, 0, 1])
        let admitted = Self.admit(&registrar, topic: topic, holder, ip: [200, 0, 0, 1], from: now)
        #expect(admitted > now + .seconds(30))

        // 700 s later a newcomer of `topic` waits again; the holder's renewal does not: it waited once.
        let later = admitted + .seconds(700)
        let newcomer = try advertiser([220, 0, 0, 1])
        let (fresh, _) = registrar.register(topic: topic, record: newcomer.record, nodeID: newcomer.id, ip: [220, 0, 0, 1],
                                            ticket: [], now: later)
        guard case .wait(_, let wait) = fresh else { Issue.record("a newcomer was admitted at once"); return }
        #expect(wait > .seconds(30))
        let cached = registrar.count
        let (renewal, _) = registrar.register(topic: topic, record: holder.record, nodeID: holder.id, ip: [200, 0, 0, 1],
                                              ticket: [], now: later)
        #expect(renewal == .admitted(lifetime: .seconds(900)))
        #expect(registrar.count == cached)
    }

    @Test mutating func askingAgainDoesNotBeatTheWaitIssuedBefore() throws {
        // Two registrars go through the same history; in one, an advertiser of `topic` asked
        // while the topic held the whole cache. Then nine other topics arrive and `topic`'s share
        // falls from 1 to 1/10: the fresh wait drops, the bound keeps it to the issued one minus the time since.
        var config = TopicRegistrarConfig()
        config.capacity = 1_000_000
        var asked = TopicRegistrar(config: config, using: &random)
        var fresh = TopicRegistrar(config: config, using: &random)
        let first = try advertiser([10, 0, 0, 1])
        var now = Self.admit(&asked, topic: topic, first, ip: [10, 0, 0, 1], from: .zero)
        _ = Self.admit(&fresh, topic: topic, first, ip: [10, 0, 0, 1], from: .zero)
        let asker = try advertiser([130, 0, 0, 1])
        let (outcome, _) = asked.register(topic: topic, record: asker.record, nodeID: asker.id, ip: [130, 0, 0, 1],
                                          ticket: [], now: now)
        guard case .wait(_, let issued) = outcome else { Issue.record("expected a ticket"); return }
        #expect(issued == .seconds(900))
        let askedAt = now
        for index in 0..<9 {
            let ip: [UInt8] = [UInt8(20 + index * 25), 7, 7, 7]
            let other = try advertiser(ip)
            let topicN = TopicID(hashing: "other \(index)")
            let end = Self.admit(&asked, topic: topicN, other, ip: ip, from: now)
            _ = Self.admit(&fresh, topic: topicN, other, ip: ip, from: now)
            now = end
        }
        let elapsed = now - askedAt
        #expect(elapsed < .seconds(600))
        let bounded = asked.waitingTime(topic: topic, ip: [131, 0, 0, 1], now: now)
        let unbounded = fresh.waitingTime(topic: topic, ip: [131, 0, 0, 1], now: now)
        #expect(unbounded < .seconds(300))
        #expect(bounded >= .seconds(900) - elapsed)
    }

    @Test mutating func aRegistrationFloodLeavesNoStateBehind() throws {
        var registrar = TopicRegistrar(using: &random)
        let identities = try (0..<40).map { index in try advertiser([UInt8(1 + index), 2, 3, 4]) }
        var now = Duration.zero
        // 20,000 registrations from 40 identities for 500 topics, half of them with forged
        // tickets, none retrying as told: pending registrations cost the registrar nothing.
        for round in 0..<20_000 {
            let node = identities[round % identities.count]
            let ticket: [UInt8] = round.isMultiple(of: 2) ? [] : [UInt8](repeating: UInt8(truncatingIfNeeded: round), count: 88)
            _ = registrar.register(topic: TopicID(hashing: "flood \(round % 500)"), record: node.record, nodeID: node.id,
                                   ip: [UInt8(1 + round % 40), 2, 3, 4], ticket: ticket, now: now)
            now += .milliseconds(90)
        }
        #expect(registrar.count == 0 && registrar.retainedEntries == 0)
        #expect(registrar.statistics.ticketsIssued == 20_000 && registrar.statistics.ticketsRefused == 10_000)
    }

    @Test mutating func aLookupReturnsAtMostFReturnAdvertisersInARandomOrder() throws {
        var config = TopicRegistrarConfig()
        config.capacity = 1_000_000
        var registrar = TopicRegistrar(config: config, using: &random)
        // Fourteen advertisers of one topic ask at once and retry as told: the first is admitted
        // at once, the others once they have waited about E (the topic holds the whole cache).
        var pending = try (0..<14).map { index in
            let ip: [UInt8] = [UInt8(10 + index * 17), 0, 0, 1]
            return (node: try advertiser(ip), ip: ip, ticket: [UInt8](), at: Duration.zero, admitted: false)
        }
        while let next = pending.indices.filter({ !pending[$0].admitted }).min(by: { pending[$0].at < pending[$1].at }) {
            let entry = pending[next]
            let (outcome, _) = registrar.register(topic: topic, record: entry.node.record, nodeID: entry.node.id,
                                                  ip: entry.ip, ticket: entry.ticket, now: entry.at)
            switch outcome {
            case .admitted: pending[next].admitted = true
            case .wait(let ticket, let wait):
                pending[next].ticket = ticket
                pending[next].at = entry.at + wait
            }
        }
        let now = pending.map(\.at).max()!
        #expect(registrar.count(of: topic) >= 12)
        var first = SeededRandom(seed: 1)
        var second = SeededRandom(seed: 2)
        let a = registrar.advertisers(of: topic, now: now, using: &first)
        let b = registrar.advertisers(of: topic, now: now, using: &second)
        #expect(a.count == 10 && b.count == 10 && Set(a.map(\.rlpEncoding)).count == 10)
        #expect(a != b)
    }
}

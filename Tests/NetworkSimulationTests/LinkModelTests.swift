import Foundation
import AztecP2P
import Testing
@testable import NetworkSimulation

@Suite struct LinkModelTests {
    /// The issue's example: a 40 KB message over a 25 Mbit/s uplink to 6 peers. Each copy holds
    /// the uplink for 40,000 × 8 / 25e6 s = 12.8 ms, so the sixth leaves at 76.8 ms; with 50 ms of
    /// latency and a 100 Mbit/s downlink (3.2 ms) it is received at 130 ms.
    @Test func fortyKilobytesToSixPeersOverTwentyFiveMegabits() {
        var links = LinkModel(bandwidths: [.megabits(25)] + Array(repeating: .megabits(100), count: 6))
        let latency = SimulatedInstant.milliseconds(50)
        var received: [SimulatedInstant] = []
        for peer in 1...6 {
            let arrives = links.send(bytes: 40_000, from: 0, to: peer, latency: latency, ordered: true, now: .zero)
            #expect(arrives == .milliseconds(12.8 * Double(peer) + 50))
            received.append(links.receive(bytes: 40_000, at: peer, now: arrives))
        }
        #expect(received.last == .milliseconds(130))
        #expect(received.first == .milliseconds(12.8 + 50 + 3.2))
        #expect(links.traffic(of: 0).sent == 240_000)
        #expect(links.traffic(of: 6).received == 40_000)
    }

    /// Two senders reach one receiver at the same instant: the second waits for the first on the
    /// receiver's downlink.
    @Test func aDownlinkServesArrivalsOneAfterTheOther() {
        var links = LinkModel(bandwidths: [.megabits(1000), .megabits(1000), .megabits(10)])
        let a = links.send(bytes: 12_500, from: 0, to: 2, latency: .milliseconds(20), ordered: true, now: .zero)
        let b = links.send(bytes: 12_500, from: 1, to: 2, latency: .milliseconds(20), ordered: true, now: .zero)
        #expect(a == b)
        // 12,500 bytes at 10 Mbit/s: 10 ms each on the downlink.
        #expect(links.receive(bytes: 12_500, at: 2, now: a) == a + .milliseconds(10))
        #expect(links.receive(bytes: 12_500, at: 2, now: b) == a + .milliseconds(20))
    }

    /// One node's uplink is shared by all its connections.
    @Test func anUplinkIsSharedByEveryConnection() {
        var links = LinkModel(bandwidths: [.megabits(8), .megabits(1000), .megabits(1000)])
        let first = links.send(bytes: 1_000, from: 0, to: 1, latency: .zero, ordered: true, now: .zero)
        let second = links.send(bytes: 1_000, from: 0, to: 2, latency: .zero, ordered: true, now: .zero)
        #expect(first == .milliseconds(1))
        #expect(second == .milliseconds(2))
        // Later, after the uplink went idle, a message starts at once.
        #expect(links.send(bytes: 1_000, from: 0, to: 1, latency: .zero, ordered: true, now: .milliseconds(10)) == .milliseconds(11))
    }

    /// Jittered latencies never reorder a connection's stream messages; datagrams may overtake.
    @Test func streamsStayInOrderDatagramsNeedNot() {
        var links = LinkModel(bandwidths: Array(repeating: .megabits(1000), count: 2))
        var rng = SplitMix64(seed: 3)
        var lastStream = SimulatedInstant.zero
        var datagramsReordered = false
        var lastDatagram = SimulatedInstant.zero
        for step in 0..<2_000 {
            let now = SimulatedInstant.milliseconds(Double(step) * 0.1)
            let latency = SimulatedInstant.milliseconds(20 + Double(rng.next() % 30))
            let stream = links.send(bytes: 100, from: 0, to: 1, latency: latency, ordered: true, now: now)
            #expect(stream >= lastStream)
            lastStream = stream
            let datagram = links.send(bytes: 100, from: 1, to: 0, latency: latency, ordered: false, now: now)
            if datagram < lastDatagram { datagramsReordered = true }
            lastDatagram = max(lastDatagram, datagram)
        }
        #expect(datagramsReordered)
    }
}

@Suite struct EventQueueTests {
    @Test func eventsComeOutByTimeThenByPushOrder() {
        var queue = EventQueue<Int>()
        var rng = SplitMix64(seed: 11)
        var pushed: [(SimulatedInstant, Int)] = []
        for i in 0..<5_000 {
            let time = SimulatedInstant(nanoseconds: Int64(rng.next() % 100))
            queue.push(i, at: time)
            pushed.append((time, i))
        }
        let expected = pushed.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }.map(\.1)
        #expect(queue.pop(notAfter: SimulatedInstant(nanoseconds: -1)) == nil)
        var popped: [Int] = []
        while let (_, event) = queue.pop(notAfter: SimulatedInstant(nanoseconds: 1_000)) { popped.append(event) }
        #expect(popped == expected)
        #expect(queue.isEmpty)
    }

    @Test func popStopsAtTheHorizon() {
        var queue = EventQueue<String>()
        queue.push("late", at: .seconds(2))
        queue.push("early", at: .seconds(1))
        #expect(queue.pop(notAfter: .seconds(1.5))?.event == "early")
        #expect(queue.pop(notAfter: .seconds(1.5)) == nil)
        #expect(queue.nextTime == .seconds(2))
    }
}

@Suite struct PlacementTests {
    @Test func countsAddUpAndStayWithinOneOfTheShare() {
        var rng = SplitMix64(seed: 5)
        for _ in 0..<500 {
            let shares = (0..<Int(1 + rng.next() % 8)).map { _ in Double(rng.next() % 1000) / 10 }
            guard shares.reduce(0, +) > 0 else { continue }
            let count = Int(rng.next() % 20_000)
            let counts = Placement.counts(of: count, shares: shares)
            #expect(counts.reduce(0, +) == count)
            let total = shares.reduce(0, +)
            for (n, share) in zip(counts, shares) { #expect(abs(Double(n) - Double(count) * share / total) < 1) }
        }
    }

    @Test func assignmentIsDeterministicBySeedAndShuffled() {
        var a = SplitMix64(seed: 1), b = SplitMix64(seed: 1), c = SplitMix64(seed: 2)
        let shares = NetworkModel.ethereumRegionShares
        let first = Placement.assign(10_000, shares: shares, using: &a)
        #expect(first == Placement.assign(10_000, shares: shares, using: &b))
        #expect(first != Placement.assign(10_000, shares: shares, using: &c))
        #expect(first.filter { $0 == 2 }.count == 3_800)
        #expect(first.prefix(100).contains { $0 != first[0] })
    }
}

@Suite struct NetworkModelTests {
    @Test func theDefaultModelIsValidWithSixRegionsOrMore() {
        let model = NetworkModel()
        #expect(model.problem == nil)
        #expect(model.regions.names.count >= 6)
        let rtt = model.regions.roundTripMilliseconds
        for i in rtt.indices { for j in rtt.indices { #expect(rtt[i][j] == rtt[j][i]) } }
        #expect(model.regions.oneWay(from: 0, to: 2) == .milliseconds(44.35))
    }

    @Test func aScenarioFileNamesOnlyWhatItChanges() throws {
        let json = #"{"jitterMilliseconds": 0, "bandwidthClasses": [{"name": "x", "uploadMegabits": 10, "downloadMegabits": 20, "share": 1}]}"#
        let model = try JSONDecoder().decode(NetworkModel.self, from: Data(json.utf8))
        #expect(model.jitterMilliseconds == 0)
        #expect(model.regions == .awsInterRegion)
        #expect(model.bandwidthClasses.first?.bandwidth == Bandwidth(uploadBitsPerSecond: 10e6, downloadBitsPerSecond: 20e6))
        var rng = SplitMix64(seed: 1)
        #expect(model.latency(from: 1, to: 1, using: &rng) == .milliseconds(10))
    }

    @Test func brokenModelsSayWhatIsWrong() {
        var model = NetworkModel()
        model.regionShares = [1]
        #expect(model.problem?.contains("one share per region") == true)
        model = NetworkModel()
        model.regions.roundTripMilliseconds[0][1] = -1
        #expect(model.problem?.contains("na-east → na-west") == true)
        model = NetworkModel()
        model.datagramLoss = 2
        #expect(model.problem != nil)
        model = NetworkModel()
        model.bandwidthClasses[0].uploadMegabits = 0
        #expect(model.problem?.contains("home-25") == true)
    }
}

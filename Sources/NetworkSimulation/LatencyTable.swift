import AztecP2P

/// The one-way latency between any two nodes, found without reading either node: each node's
/// region in one flat array and the regions' one-way delays in another. (Reading the regions
/// from the nodes themselves touched two objects, often not in the cache, for every message.)
struct LatencyTable {
    private let model: NetworkModel
    private let regionCount: Int
    private let oneWay: [SimulatedInstant]
    private var regionOfNode: [Int32] = []

    init(model: NetworkModel) {
        self.model = model
        let count = model.regions.names.count
        regionCount = count
        oneWay = (0..<count).flatMap { from in (0..<count).map { to in model.regions.oneWay(from: from, to: to) } }
    }

    /// Adds the next node, in `region`.
    mutating func addNode(region: Int) {
        regionOfNode.append(Int32(region))
    }

    /// ``NetworkModel/latency(from:to:using:)`` between the regions of nodes `a` and `b`.
    func latency(_ a: Int, _ b: Int, using rng: inout SplitMix64) -> SimulatedInstant {
        oneWay[Int(regionOfNode[a]) * regionCount + Int(regionOfNode[b])] + model.jitter(using: &rng)
    }
}

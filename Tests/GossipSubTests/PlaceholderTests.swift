import Testing
@testable import GossipSub

@Test func GossipSubModuleBuilds() {}

import Testing
@testable import LibP2P

@Test func LibP2PModuleBuilds() {}

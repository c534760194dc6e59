import Testing
@testable import LibP2PCore

@Test func LibP2PCoreModuleBuilds() {}

import Testing
@testable import RLP

@Test func RLPModuleBuilds() {}

import Testing
@testable import ENR

@Test func ENRModuleBuilds() {}

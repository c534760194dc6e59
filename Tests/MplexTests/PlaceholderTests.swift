import Testing
@testable import Mplex

@Test func MplexModuleBuilds() {}

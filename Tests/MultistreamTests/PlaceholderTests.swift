import Testing
@testable import Multistream

@Test func MultistreamModuleBuilds() {}

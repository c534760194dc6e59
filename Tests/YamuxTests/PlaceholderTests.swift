import Testing
@testable import Yamux

@Test func YamuxModuleBuilds() {}

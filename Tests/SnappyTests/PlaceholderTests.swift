import Testing
@testable import Snappy

@Test func SnappyModuleBuilds() {}

import Testing
@testable import DiscV5

@Test func DiscV5ModuleBuilds() {}

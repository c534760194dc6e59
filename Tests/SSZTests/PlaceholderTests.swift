import Testing
@testable import SSZ

@Test func SSZModuleBuilds() {}

import Testing
@testable import Noise

@Test func NoiseModuleBuilds() {}

import Testing
@testable import P2PCrypto

@Test func P2PCryptoModuleBuilds() {}

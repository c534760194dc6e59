import Testing
@testable import GossipSub

/// The v1.3 Extensions control message and the Test Extension's RPC field on the wire. The
/// golden bytes were produced by py-libp2p 0.8.1's protobuf classes (`rpc_pb2`).
@Suite struct ControlExtensionsCodecTests {
    /// control { extensions { testExtension: true } }, testExtension {}
    static let golden: [UInt8] = [0x1A, 0x07, 0x32, 0x05, 0x90, 0x91, 0xE2, 0x18, 0x01, 0x92, 0x91, 0xE2, 0x18, 0x00]

    @Test func encodingMatchesPyLibP2P() {
        let rpc = RPC(control: ControlMessage(extensions: ControlExtensions(testExtension: true)), testExtension: true)
        #expect(rpc.encoded() == Self.golden)
    }

    @Test func decodesWhatPyLibP2PEncodes() throws {
        let rpc = try RPC.decode(Self.golden)
        #expect(rpc.control?.extensions == ControlExtensions(testExtension: true))
        #expect(rpc.testExtension)
        #expect(!rpc.isEmpty)
    }

    /// An Extensions message that names only extensions we do not know (here py-libp2p's topic
    /// observation, its field 1) is still present: its sender supports extensions, and a later
    /// one would be a repeat.
    @Test func unknownExtensionsAreIgnoredButTheMessageIsPresent() throws {
        let rpc = try RPC.decode([0x1A, 0x04, 0x32, 0x02, 0x08, 0x01])
        #expect(rpc.control?.extensions == ControlExtensions())
        #expect(try RPC.decode(rpc.encoded()) == rpc)
    }

    @Test func anEmptyExtensionsMessageRoundTrips() throws {
        let rpc = RPC(control: ControlMessage(extensions: ControlExtensions()))
        #expect(rpc.encoded() == [0x1A, 0x02, 0x32, 0x00])
        #expect(try RPC.decode(rpc.encoded()) == rpc)
    }

    /// Repeats of the singular field within one RPC merge, as protobuf says.
    @Test func repeatsWithinOneRPCMerge() throws {
        let rpc = try RPC.decode([0x1A, 0x09, 0x32, 0x00, 0x32, 0x05, 0x90, 0x91, 0xE2, 0x18, 0x01])
        #expect(rpc.control?.extensions == ControlExtensions(testExtension: true))
    }

    @Test func wrongWireTypesAreRejected() {
        // testExtension as a length-delimited field inside ControlExtensions
        #expect(throws: RPCDecodingError.wrongWireType(field: 6_492_434)) {
            try RPC.decode([0x1A, 0x08, 0x32, 0x06, 0x92, 0x91, 0xE2, 0x18, 0x01, 0x00])
        }
        // the extensions field as a varint
        #expect(throws: RPCDecodingError.wrongWireType(field: 6)) { try RPC.decode([0x1A, 0x02, 0x30, 0x01]) }
    }

    /// Every Extensions entry counts toward the control-entry limit: a flood of them in one RPC
    /// costs the sender its RPC, not us memory.
    @Test func extensionsCountTowardTheControlEntryLimit() {
        let limits = RPCLimits(maxControlEntriesPerRPC: 2)
        let three: [UInt8] = [0x1A, 0x06, 0x32, 0x00, 0x32, 0x00, 0x32, 0x00]
        #expect(throws: RPCDecodingError.tooManyControlEntries(limit: 2)) { try RPC.decode(three, limits: limits) }
    }
}

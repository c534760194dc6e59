import SwiftSyntaxMacros
import SwiftSyntaxMacrosTestSupport
import Testing

@testable import SSZMacros

@Suite struct MacroExpansionTests {
    let macros: [String: Macro.Type] = [
        "SSZContainer": SSZContainerMacro.self,
        "SSZProgressiveContainer": SSZProgressiveContainerMacro.self,
        "SSZUnion": SSZUnionMacro.self,
    ]

    @Test func containerExpansionFollowsDeclarationOrder() {
        assertMacroExpansion(
            """
            @SSZContainer
            public struct Pair {
                public var a: UInt8
                public var b: ByteList<4>
                public var computed: Int { 1 }
                static var ignored: Int = 0
            }
            """,
            expandedSource: """
            public struct Pair {
                public var a: UInt8
                public var b: ByteList<4>
                public var computed: Int { 1 }
                static var ignored: Int = 0
            }

            extension Pair: SSZ.SSZContainer {
                public static var sszFixedSize: Int? {
                    guard let s0 = (UInt8).sszFixedSize, let s1 = (ByteList<4>).sszFixedSize else {
                        return nil
                    }
                    return s0 + s1
                }
                public static var sszFixedPartLength: Int {
                    (UInt8).sszFixedPartSize + (ByteList<4>).sszFixedPartSize
                }
                public var sszEncodedLength: Int {
                    Self.sszFixedPartLength + self.a.sszVariablePartLength + self.b.sszVariablePartLength
                }
                public func encodeSSZ(into writer: inout SSZ.SSZWriter) {
                    var variableOffset = Self.sszFixedPartLength
                    writer.writeFixedPart(of: self.a, variableOffset: &variableOffset)
                    writer.writeFixedPart(of: self.b, variableOffset: &variableOffset)
                    writer.writeVariablePart(of: self.a)
                    writer.writeVariablePart(of: self.b)
                    _ = variableOffset
                }
                public init(sszBytes bytes: UnsafeRawBufferPointer) throws(SSZ.SSZError) {
                    var decoder = try SSZ.SSZContainerDecoder(bytes, fixedPartLength: Self.sszFixedPartLength)
                    let slot0 = try decoder.field((UInt8).self)
                    let slot1 = try decoder.field((ByteList<4>).self)
                    try decoder.finish()
                    var end = decoder.end
                    let value1 = try decoder.decode((ByteList<4>).self, slot1, end: &end)
                    let value0 = try decoder.decode((UInt8).self, slot0, end: &end)
                    _ = end
                    self.a = value0
                    self.b = value1
                }
                public static var sszFieldNames: [String] {
                    ["a", "b"]
                }
                public var sszFieldRoots: [SSZ.SSZRoot] {
                    [self.a.hashTreeRoot(), self.b.hashTreeRoot()]
                }
                public func hashTreeRoot() -> SSZ.SSZRoot {
                    SSZ.Merkleizer.merkleize(chunkCount: 2, limit: nil) { buffer in
                        let base = buffer.baseAddress.unsafelyUnwrapped
                        self.a.hashTreeRoot().store(to: base + 0)
                        self.b.hashTreeRoot().store(to: base + 32)
                    }
                }
            }
            """,
            macros: macros)
    }

    @Test func diagnosesIllegalDeclarations() {
        assertMacroExpansion(
            "@SSZContainer struct Empty {}",
            expandedSource: "struct Empty {}",
            diagnostics: [DiagnosticSpec(message: "@SSZContainer: a container needs at least one stored property", line: 1, column: 1)],
            macros: macros)
        assertMacroExpansion(
            "@SSZContainer struct Untyped { var a = 1 }",
            expandedSource: "struct Untyped { var a = 1 }",
            diagnostics: [DiagnosticSpec(message: "@SSZContainer: property 'a' needs an explicit type", line: 1, column: 1)],
            macros: macros)
        assertMacroExpansion(
            "@SSZProgressiveContainer(activeFields: [1, 0]) struct P { var a: UInt8 }",
            expandedSource: "struct P { var a: UInt8 }",
            diagnostics: [DiagnosticSpec(message: "activeFields must end in 1", line: 1, column: 1)],
            macros: macros)
        assertMacroExpansion(
            "@SSZUnion enum U { case a(UInt8); case none }",
            expandedSource: "enum U { case a(UInt8); case none }",
            diagnostics: [DiagnosticSpec(message: "@SSZUnion: only the first case may carry no value (the None option)", line: 1, column: 1)],
            macros: macros)
    }
}

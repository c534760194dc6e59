import SwiftCompilerPlugin
import SwiftSyntaxMacros

@main
struct SSZMacrosPlugin: CompilerPlugin {
    let providingMacros: [Macro.Type] = [
        SSZContainerMacro.self, SSZProgressiveContainerMacro.self, SSZUnionMacro.self, SSZCompatibleUnionMacro.self,
    ]
}

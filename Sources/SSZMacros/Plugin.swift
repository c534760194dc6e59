import SwiftCompilerPlugin
import SwiftSyntaxMacros

@main
struct SSZMacrosPlugin: CompilerPlugin {
    let providingMacros: [Macro.Type] = []
}

import SwiftDiagnostics
import SwiftSyntax

/// A diagnostic raised while expanding an SSZ macro.
struct MacroError: Error, DiagnosticMessage {
    let message: String
    var diagnosticID: MessageID { MessageID(domain: "SSZMacros", id: "error") }
    var severity: DiagnosticSeverity { .error }

    init(_ message: String) { self.message = message }
}

/// `public ` when the declaration is public or open, so generated members match its visibility.
func accessPrefix(_ modifiers: DeclModifierListSyntax) -> String {
    for modifier in modifiers {
        switch modifier.name.tokenKind {
        case .keyword(.public), .keyword(.open): return "public "
        case .keyword(.package): return "package "
        default: continue
        }
    }
    return ""
}

/// Reads an integer-array macro argument such as `activeFields: [1, 0, 1]`.
func integerArrayArgument(_ node: AttributeSyntax, label: String) throws -> [Int] {
    guard case .argumentList(let arguments) = node.arguments,
          let argument = arguments.first(where: { $0.label?.text == label }),
          let array = argument.expression.as(ArrayExprSyntax.self)
    else { throw MacroError("expected an array literal argument '\(label):'") }
    return try array.elements.map { element in
        guard let literal = element.expression.as(IntegerLiteralExprSyntax.self),
              let value = Int(String(literal.literal.text.filter { $0 != "_" }))
        else { throw MacroError("'\(label)' must contain integer literals") }
        return value
    }
}

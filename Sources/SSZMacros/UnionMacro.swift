import SwiftSyntax
import SwiftSyntaxBuilder
import SwiftSyntaxMacros

/// One case of a union enum: its name and its payload type (`nil` for the `None` option).
struct UnionOption {
    let name: String
    let type: String?
}

func unionOptions(of declaration: some DeclGroupSyntax, macro: String) throws -> [UnionOption] {
    guard declaration.is(EnumDeclSyntax.self) else { throw MacroError("@\(macro) applies to enums") }
    var options: [UnionOption] = []
    for member in declaration.memberBlock.members {
        guard let caseDecl = member.decl.as(EnumCaseDeclSyntax.self) else { continue }
        for element in caseDecl.elements {
            let parameters = element.parameterClause?.parameters
            if let parameters {
                guard parameters.count == 1, let parameter = parameters.first, parameter.firstName == nil else {
                    throw MacroError("@\(macro): case '\(element.name.text)' must carry exactly one unlabeled value")
                }
                options.append(UnionOption(name: element.name.text, type: parameter.type.trimmedDescription))
            } else {
                options.append(UnionOption(name: element.name.text, type: nil))
            }
        }
    }
    guard !options.isEmpty else { throw MacroError("@\(macro): a union needs at least one option") }
    return options
}

func unionSource(type: String, options: [UnionOption], selectors: [Int], access: String) -> String {
    var selectorCases: [String] = []
    var lengthCases: [String] = []
    var encodeCases: [String] = []
    var decodeCases: [String] = []
    var rootCases: [String] = []
    for (option, selector) in zip(options, selectors) {
        if let payload = option.type {
            selectorCases.append("case .\(option.name): \(selector)")
            lengthCases.append("case .\(option.name)(let value): 1 + value.sszEncodedLength")
            encodeCases.append("case .\(option.name)(let value): writer.writeByte(\(selector)); value.encodeSSZ(into: &writer)")
            decodeCases.append("case \(selector): self = .\(option.name)(try (\(payload))(sszBytes: body))")
            rootCases.append("case .\(option.name)(let value): SSZ.Merkleizer.mixInSelector(value.hashTreeRoot(), \(selector))")
        } else {
            selectorCases.append("case .\(option.name): \(selector)")
            lengthCases.append("case .\(option.name): 1")
            encodeCases.append("case .\(option.name): writer.writeByte(\(selector))")
            decodeCases.append(
                "case \(selector):\nguard body.isEmpty else { throw SSZ.SSZError.make(.wrongSize) }\nself = .\(option.name)")
            rootCases.append("case .\(option.name): SSZ.Merkleizer.mixInSelector(.zero, \(selector))")
        }
    }
    return """
        extension \(type): SSZ.SSZUnionType {
        \(access)static var sszFixedSize: Int? { nil }
        \(access)var sszSelector: UInt8 {
        switch self {
        \(selectorCases.joined(separator: "\n"))
        }
        }
        \(access)var sszEncodedLength: Int {
        switch self {
        \(lengthCases.joined(separator: "\n"))
        }
        }
        \(access)func encodeSSZ(into writer: inout SSZ.SSZWriter) {
        switch self {
        \(encodeCases.joined(separator: "\n"))
        }
        }
        \(access)init(sszBytes bytes: UnsafeRawBufferPointer) throws(SSZ.SSZError) {
        guard let selector = bytes.first else { throw SSZ.SSZError.make(.wrongSize) }
        let body = UnsafeRawBufferPointer(rebasing: bytes.dropFirst())
        switch selector {
        \(decodeCases.joined(separator: "\n"))
        default: throw SSZ.SSZError.make(.invalidSelector)
        }
        }
        \(access)func hashTreeRoot() -> SSZ.SSZRoot {
        switch self {
        \(rootCases.joined(separator: "\n"))
        }
        }
        }
        """
}

/// `@SSZUnion`: see the macro declaration in the SSZ module.
public struct SSZUnionMacro: ExtensionMacro {
    /// The extension conforming the enum to `SSZUnionType`, case *i* taking selector *i*; throws
    /// when a case other than the first carries no value, or beyond 128 cases.
    public static func expansion(
        of node: AttributeSyntax, attachedTo declaration: some DeclGroupSyntax,
        providingExtensionsOf type: some TypeSyntaxProtocol, conformingTo protocols: [TypeSyntax],
        in context: some MacroExpansionContext
    ) throws -> [ExtensionDeclSyntax] {
        let options = try unionOptions(of: declaration, macro: "SSZUnion")
        guard options.dropFirst().allSatisfy({ $0.type != nil }) else {
            throw MacroError("@SSZUnion: only the first case may carry no value (the None option)")
        }
        guard options.first?.type != nil || options.count >= 2 else {
            throw MacroError("@SSZUnion: a union with a None option needs at least two options")
        }
        guard options.count <= 128 else { throw MacroError("@SSZUnion: at most 128 options") }
        let source = unionSource(
            type: type.trimmedDescription, options: options, selectors: Array(options.indices),
            access: accessPrefix(declaration.modifiers))
        return [try ExtensionDeclSyntax(SyntaxNodeString(stringLiteral: source))]
    }
}

/// `@SSZCompatibleUnion(selectors:)`: see the macro declaration in the SSZ module.
public struct SSZCompatibleUnionMacro: ExtensionMacro {
    /// The extension conforming the enum to `SSZUnionType` with the given `selectors`, one per
    /// case; throws unless every case carries a value and the selectors are distinct, in 1...127.
    public static func expansion(
        of node: AttributeSyntax, attachedTo declaration: some DeclGroupSyntax,
        providingExtensionsOf type: some TypeSyntaxProtocol, conformingTo protocols: [TypeSyntax],
        in context: some MacroExpansionContext
    ) throws -> [ExtensionDeclSyntax] {
        let options = try unionOptions(of: declaration, macro: "SSZCompatibleUnion")
        let selectors = try integerArrayArgument(node, label: "selectors")
        guard options.allSatisfy({ $0.type != nil }) else {
            throw MacroError("@SSZCompatibleUnion: every case must carry a value")
        }
        guard selectors.count == options.count else {
            throw MacroError("@SSZCompatibleUnion: \(selectors.count) selectors for \(options.count) cases")
        }
        guard selectors.allSatisfy({ (1 ... 127).contains($0) }), Set(selectors).count == selectors.count else {
            throw MacroError("@SSZCompatibleUnion: selectors must be distinct and within 1...127")
        }
        let source = unionSource(
            type: type.trimmedDescription, options: options, selectors: selectors,
            access: accessPrefix(declaration.modifiers))
        return [try ExtensionDeclSyntax(SyntaxNodeString(stringLiteral: source))]
    }
}

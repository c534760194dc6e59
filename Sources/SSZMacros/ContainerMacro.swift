import SwiftSyntax
import SwiftSyntaxBuilder
import SwiftSyntaxMacros

/// One stored property of a container: its name and its type as written.
struct ContainerField {
    let name: String
    let type: String
}

/// The stored properties of a struct, in declaration order (computed and static properties skipped).
func storedFields(of declaration: some DeclGroupSyntax, macro: String) throws -> [ContainerField] {
    guard declaration.is(StructDeclSyntax.self) else { throw MacroError("@\(macro) applies to structs") }
    var fields: [ContainerField] = []
    for member in declaration.memberBlock.members {
        guard let variable = member.decl.as(VariableDeclSyntax.self) else { continue }
        if variable.modifiers.contains(where: { $0.name.tokenKind == .keyword(.static) || $0.name.tokenKind == .keyword(.class) }) {
            continue
        }
        for binding in variable.bindings {
            if let accessor = binding.accessorBlock {
                // Observers (willSet/didSet) keep storage; getters make a computed property.
                if case .accessors(let list) = accessor.accessors,
                   list.allSatisfy({ $0.accessorSpecifier.tokenKind == .keyword(.willSet) || $0.accessorSpecifier.tokenKind == .keyword(.didSet) }) {
                } else {
                    continue
                }
            }
            guard let identifier = binding.pattern.as(IdentifierPatternSyntax.self) else {
                throw MacroError("@\(macro) needs simple stored properties")
            }
            guard let type = binding.typeAnnotation?.type else {
                throw MacroError("@\(macro): property '\(identifier.identifier.text)' needs an explicit type")
            }
            fields.append(ContainerField(name: identifier.identifier.text, type: type.trimmedDescription))
        }
    }
    guard !fields.isEmpty else { throw MacroError("@\(macro): a container needs at least one stored property") }
    return fields
}

/// The members shared by containers and progressive containers (everything but the root).
func containerCodingMembers(_ fields: [ContainerField], access: String) -> String {
    let types = fields.map { "(\($0.type))" }
    let fixedGuard = types.enumerated().map { "let s\($0.offset) = \($0.element).sszFixedSize" }.joined(separator: ", ")
    let fixedSum = types.indices.map { "s\($0)" }.joined(separator: " + ")
    let fixedPart = types.map { "\($0).sszFixedPartSize" }.joined(separator: " + ")
    let variableLengths = fields.map { "self.\($0.name).sszVariablePartLength" }.joined(separator: " + ")
    let writeFixed = fields.map { "writer.writeFixedPart(of: self.\($0.name), variableOffset: &variableOffset)" }
        .joined(separator: "\n")
    let writeVariable = fields.map { "writer.writeVariablePart(of: self.\($0.name))" }.joined(separator: "\n")
    let slots = types.enumerated().map { "let slot\($0.offset) = try decoder.field(\($0.element).self)" }
        .joined(separator: "\n")
    let decodes = types.enumerated().reversed()
        .map { "let value\($0.offset) = try decoder.decode(\($0.element).self, slot\($0.offset), end: &end)" }
        .joined(separator: "\n")
    let assigns = fields.enumerated().map { "self.\($0.element.name) = value\($0.offset)" }.joined(separator: "\n")
    let names = fields.map { "\"\($0.name)\"" }.joined(separator: ", ")
    let roots = fields.map { "self.\($0.name).hashTreeRoot()" }.joined(separator: ", ")
    return """
        \(access)static var sszFixedSize: Int? {
        guard \(fixedGuard) else { return nil }
        return \(fixedSum)
        }
        \(access)static var sszFixedPartLength: Int { \(fixedPart) }
        \(access)var sszEncodedLength: Int { Self.sszFixedPartLength + \(variableLengths) }
        \(access)func encodeSSZ(into writer: inout SSZ.SSZWriter) {
        var variableOffset = Self.sszFixedPartLength
        \(writeFixed)
        \(writeVariable)
        _ = variableOffset
        }
        \(access)init(sszBytes bytes: UnsafeRawBufferPointer) throws(SSZ.SSZError) {
        var decoder = try SSZ.SSZContainerDecoder(bytes, fixedPartLength: Self.sszFixedPartLength)
        \(slots)
        try decoder.finish()
        var end = decoder.end
        \(decodes)
        _ = end
        \(assigns)
        }
        \(access)static var sszFieldNames: [String] { [\(names)] }
        \(access)var sszFieldRoots: [SSZ.SSZRoot] { [\(roots)] }
        """
}

/// `@SSZContainer`: see the macro declaration in the SSZ module.
public struct SSZContainerMacro: ExtensionMacro {
    /// The extension conforming the struct to `SSZContainer`: coding of its stored properties in
    /// declaration order and a root merkleizing their roots; throws on a non-struct or on a
    /// property without an explicit type.
    public static func expansion(
        of node: AttributeSyntax, attachedTo declaration: some DeclGroupSyntax,
        providingExtensionsOf type: some TypeSyntaxProtocol, conformingTo protocols: [TypeSyntax],
        in context: some MacroExpansionContext
    ) throws -> [ExtensionDeclSyntax] {
        let fields = try storedFields(of: declaration, macro: "SSZContainer")
        let access = accessPrefix(declaration.modifiers)
        let stores = fields.enumerated().map { "self.\($0.element.name).hashTreeRoot().store(to: base + \($0.offset * 32))" }
            .joined(separator: "\n")
        let source = """
            extension \(type.trimmedDescription): SSZ.SSZContainer {
            \(containerCodingMembers(fields, access: access))
            \(access)func hashTreeRoot() -> SSZ.SSZRoot {
            SSZ.Merkleizer.merkleize(chunkCount: \(fields.count), limit: nil) { buffer in
            let base = buffer.baseAddress.unsafelyUnwrapped
            \(stores)
            }
            }
            }
            """
        return [try ExtensionDeclSyntax(SyntaxNodeString(stringLiteral: source))]
    }
}

/// `@SSZProgressiveContainer(activeFields:)`: see the macro declaration in the SSZ module.
public struct SSZProgressiveContainerMacro: ExtensionMacro {
    /// The extension conforming the struct to `SSZProgressiveContainerType`, with `activeFields`
    /// as its `sszActiveFields`; throws unless the argument has only 0s and 1s, at most 256
    /// entries, a final 1 and one 1 per stored property.
    public static func expansion(
        of node: AttributeSyntax, attachedTo declaration: some DeclGroupSyntax,
        providingExtensionsOf type: some TypeSyntaxProtocol, conformingTo protocols: [TypeSyntax],
        in context: some MacroExpansionContext
    ) throws -> [ExtensionDeclSyntax] {
        let fields = try storedFields(of: declaration, macro: "SSZProgressiveContainer")
        let active = try integerArrayArgument(node, label: "activeFields")
        guard active.allSatisfy({ $0 == 0 || $0 == 1 }) else { throw MacroError("activeFields entries must be 0 or 1") }
        guard active.count <= 256 else { throw MacroError("activeFields has more than 256 entries") }
        guard active.last == 1 else { throw MacroError("activeFields must end in 1") }
        guard active.filter({ $0 == 1 }).count == fields.count else {
            throw MacroError("activeFields has \(active.filter { $0 == 1 }.count) ones for \(fields.count) stored properties")
        }
        let access = accessPrefix(declaration.modifiers)
        let bits = active.map { $0 == 1 ? "true" : "false" }.joined(separator: ", ")
        let source = """
            extension \(type.trimmedDescription): SSZ.SSZProgressiveContainerType {
            \(containerCodingMembers(fields, access: access))
            \(access)static var sszActiveFields: [Bool] { [\(bits)] }
            \(access)func hashTreeRoot() -> SSZ.SSZRoot { Self.progressiveRoot(fieldRoots: self.sszFieldRoots) }
            }
            """
        return [try ExtensionDeclSyntax(SyntaxNodeString(stringLiteral: source))]
    }
}

/// Makes a struct an SSZ container: adds ``SSZContainer`` conformance (fixed size, encoding,
/// decoding, `hash_tree_root`) generated from its stored properties in declaration order.
///
/// ```swift
/// @SSZContainer
/// struct Checkpoint: Equatable {
///     var epoch: UInt64
///     var root: ByteVector<32>
/// }
/// ```
/// Every stored property needs an explicit type annotation whose type conforms to ``SSZType``.
@attached(extension, conformances: SSZContainer, names: named(sszFixedSize), named(sszFixedPartLength),
          named(sszEncodedLength), named(encodeSSZ), named(init), named(hashTreeRoot), named(sszFieldNames),
          named(sszFieldRoots))
public macro SSZContainer() = #externalMacro(module: "SSZMacros", type: "SSZContainerMacro")

/// Makes a struct an SSZ `ProgressiveContainer(active_fields)` (EIP-7495): serialized like a
/// container, merkleized with its field roots at the positions of the `1`s of `activeFields`.
///
/// ```swift
/// @SSZProgressiveContainer(activeFields: [1, 0, 1])
/// struct Square { var side: UInt16; var color: UInt8 }
/// ```
@attached(extension, conformances: SSZProgressiveContainerType, names: named(sszFixedSize),
          named(sszFixedPartLength), named(sszEncodedLength), named(encodeSSZ), named(init), named(hashTreeRoot),
          named(sszFieldNames), named(sszFieldRoots), named(sszActiveFields))
public macro SSZProgressiveContainer(activeFields: [Int]) =
    #externalMacro(module: "SSZMacros", type: "SSZProgressiveContainerMacro")

/// Makes an enum an SSZ `Union[...]`: the selector is the case's position. Each case carries
/// one ``SSZType`` value, except optionally the first, which may carry none (`None`).
///
/// ```swift
/// @SSZUnion
/// enum Payload { case none; case number(UInt64); case bytes(ByteList<64>) }
/// ```
@attached(extension, conformances: SSZUnionType, names: named(sszFixedSize), named(sszSelector),
          named(sszEncodedLength), named(encodeSSZ), named(init), named(hashTreeRoot))
public macro SSZUnion() = #externalMacro(module: "SSZMacros", type: "SSZUnionMacro")

/// Makes an enum an SSZ `CompatibleUnion({selector: type})` (EIP-8016): each case carries one
/// value and has the selector at the same position in `selectors` (each in 1...127).
///
/// ```swift
/// @SSZCompatibleUnion(selectors: [1, 2])
/// enum Shape { case square(Square); case circle(Circle) }
/// ```
@attached(extension, conformances: SSZUnionType, names: named(sszFixedSize), named(sszSelector),
          named(sszEncodedLength), named(encodeSSZ), named(init), named(hashTreeRoot))
public macro SSZCompatibleUnion(selectors: [Int]) =
    #externalMacro(module: "SSZMacros", type: "SSZCompatibleUnionMacro")

/// A union declared with `@SSZUnion` or `@SSZCompatibleUnion`.
public protocol SSZUnionType: SSZType {
    /// The selector of the value's option.
    var sszSelector: UInt8 { get }
}

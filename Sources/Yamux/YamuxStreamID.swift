/// A yamux stream identifier. Streams opened by the client are odd, by the server even;
/// 0 is the session.
public struct YamuxStreamID: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible,
    ExpressibleByIntegerLiteral
{
    /// The 32-bit stream ID field of the frame header.
    public var rawValue: UInt32
    /// The stream with ID `rawValue` (any value; parity is not checked).
    @inlinable public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// The stream with ID `rawValue` (any value; parity is not checked).
    @inlinable public init(_ rawValue: UInt32) { self.rawValue = rawValue }
    /// The stream with ID `value`, written as an integer literal.
    @inlinable public init(integerLiteral value: UInt32) { self.rawValue = value }
    /// Orders by numeric ID, which is also the order in which one side opens its streams.
    @inlinable public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    /// The ID in decimal.
    public var description: String { String(rawValue) }
}

/// Which end of the underlying connection a session is: the dialer is the client.
public enum YamuxRole: Hashable, Sendable {
    /// The dialer; opens odd stream IDs.
    case client
    /// The listener; opens even stream IDs.
    case server

    /// The first stream ID this role opens.
    @inlinable var firstStreamID: UInt32 { self == .client ? 1 : 2 }

    /// Whether `id` is of the parity the *other* role opens.
    @inlinable func isRemoteStreamID(_ id: UInt32) -> Bool {
        id != 0 && (id & 1 == 1) == (self == .server)
    }
}

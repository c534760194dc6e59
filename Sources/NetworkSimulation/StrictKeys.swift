/// Scenario files are written by hand: a misspelt key must not be ignored silently.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension Decoder {
    /// Throws if the object being decoded has a key `Keys` does not name.
    func rejectUnknownKeys<Keys: CodingKey>(_ keys: Keys.Type) throws {
        let container = try self.container(keyedBy: AnyCodingKey.self)
        for key in container.allKeys where Keys(stringValue: key.stringValue) == nil {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: codingPath + [key], debugDescription: "unknown key \"\(key.stringValue)\""))
        }
    }
}

extension KeyedDecodingContainer {
    /// The value at `key` if present, which must lie in `range` (a NaN never does).
    func decodeIfPresent<T: Decodable & Comparable>(_ type: T.Type, forKey key: Key, in range: ClosedRange<T>) throws -> T? {
        guard let value = try decodeIfPresent(type, forKey: key) else { return nil }
        guard range.contains(value) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "must be in \(range)")
        }
        return value
    }
}

/// A forward-moving window over a file, read in chunks with `pread`: it holds the bytes from the
/// last ``discard(before:)`` on, so memory stays within one record (bounded by the format) plus
/// a chunk, whatever the file's size or its length fields say.
struct JournalReadWindow {
    typealias Read = (UnsafeMutableRawBufferPointer, Int) -> Result<Int, SystemErrno>

    static let chunk = 1 << 20
    private let read: Read
    private var buffer: [UInt8] = []
    /// File offset of `buffer[0]`.
    private var base = 0
    /// The end of the file was read.
    private(set) var reachedEnd = false

    /// - Parameter read: reads into the buffer at a file offset (0 at the end of the file).
    init(read: @escaping Read) { self.read = read }

    /// The file offset one past the last byte loaded.
    var loadedEnd: Int { base + buffer.count }

    /// Loads `count` bytes from `offset` (at or after the window's start).
    /// - Returns: false when the file ends first.
    mutating func load(_ offset: Int, _ count: Int) throws(SystemErrno) -> Bool {
        let needed = offset + count - base
        while buffer.count < needed {
            if reachedEnd { return false }
            let want = Swift.max(Self.chunk, needed - buffer.count)
            var failure: SystemErrno?
            let chunk = [UInt8](unsafeUninitializedCapacity: want) { storage, initialized in
                switch read(UnsafeMutableRawBufferPointer(storage), loadedEnd) {
                case .success(let n): initialized = Swift.min(n, want)
                case .failure(let error):
                    failure = error
                    initialized = 0
                }
            }
            if let failure { throw failure }
            if chunk.isEmpty { reachedEnd = true }
            buffer += chunk
        }
        return true
    }

    /// Reads on to the end of the file, dropping what it reads.
    /// - Returns: the file's length.
    mutating func skipToEnd() throws(SystemErrno) -> Int {
        while try load(loadedEnd, 1) { discard(before: loadedEnd) }
        return loadedEnd
    }

    /// Forgets the bytes before `offset` (in large steps, so this stays cheap).
    mutating func discard(before offset: Int) {
        let drop = offset - base
        guard drop >= Self.chunk || (drop > 0 && drop == buffer.count) else { return }
        buffer.removeFirst(drop)
        base = offset
    }

    /// The byte at `offset` (loaded).
    subscript(offset: Int) -> UInt8 { buffer[offset - base] }

    /// `count` loaded bytes from `offset`.
    func bytes(_ offset: Int, _ count: Int) -> ArraySlice<UInt8> {
        let start = offset - base
        return buffer[start..<(start + count)]
    }

    /// The little-endian u32 at `offset` (loaded).
    func uint32(_ offset: Int) -> UInt32 { buffer.littleEndian32(at: offset - base) }

    /// Whether the loaded bytes at `offset` are `pattern` (as far as the file goes).
    func matches(_ pattern: [UInt8], at offset: Int) -> Bool {
        let start = offset - base
        let available = Swift.min(pattern.count, buffer.count - start)
        for i in 0..<available where buffer[start + i] != pattern[i] { return false }
        return true
    }

    /// The offset of the next occurrence of `pattern` at or after `offset`, reading on as needed.
    mutating func find(_ pattern: [UInt8], from offset: Int) throws(SystemErrno) -> Int? {
        guard let first = pattern.first else { return offset }
        var position = offset
        while try load(position, pattern.count) {
            let last = loadedEnd - pattern.count
            while position <= last {
                if buffer[position - base] == first, matches(pattern, at: position) { return position }
                position += 1
            }
            discard(before: position)
        }
        return nil
    }
}

import FuzzSupport
import Yamux

/// A yamux server session fed hostile bytes in input-chosen chunks: it must never trap,
/// must report any failure as its last event, and must keep producing bounded output.
@main enum FuzzYamux {
    static func main() {
        Fuzzer.run { bytes in
            guard let first = bytes.first else { return }
            let chunk = Int(first % 16) + 1
            var session = YamuxSession(role: .server)
            var offset = 1
            while offset < bytes.count {
                let end = min(offset + chunk, bytes.count)
                let events = session.receive(bytes[offset..<end])
                if case .sessionFailed = events.last { break }
                _ = session.takeOutbound()
                offset = end
            }
        }
    }
}

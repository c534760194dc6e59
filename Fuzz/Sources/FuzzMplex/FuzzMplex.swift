import FuzzSupport
import Mplex

/// An mplex session fed hostile bytes in input-chosen chunks: it must never trap.
@main enum FuzzMplex {
    static func main() {
        Fuzzer.run { bytes in
            guard let first = bytes.first else { return }
            let chunk = Int(first % 16) + 1
            var session = MplexSession()
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

#if canImport(Glibc)
import Glibc
private let openFiles = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
#elseif canImport(Darwin)
import Darwin
private let openFiles = RLIMIT_NOFILE
#endif

/// The process's limit on open files. A node holds a socket per connection (libp2p, JSON-RPC,
/// metrics) besides its files; the usual soft limit of 1,024 is below what its connection caps
/// allow together, and at the limit accepting fails. As Go's runtime does, the node raises its
/// soft limit to the hard limit (the most an unprivileged process may set) at start.
enum OpenFileLimit {
    /// Raises the soft limit to `min(hard, cap)`; returns the soft limit in force afterwards.
    @discardableResult
    static func raise(cap: rlim_t = 1 << 20) -> rlim_t {
        var limit = rlimit()
        guard getrlimit(openFiles, &limit) == 0 else { return 0 }
        let target = min(limit.rlim_max, cap)
        guard limit.rlim_cur < target else { return limit.rlim_cur }
        var raised = limit
        raised.rlim_cur = target
        return setrlimit(openFiles, &raised) == 0 ? target : limit.rlim_cur
    }
}

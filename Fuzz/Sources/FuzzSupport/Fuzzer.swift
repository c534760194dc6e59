import CFuzzDriver

/// Runs libFuzzer with `body` as the target: it is called once per generated input.
///
/// A fuzz target must return normally for every input; a trap (a failed `precondition`
/// on a round-trip invariant, a crash, a sanitizer report) is a finding.
public enum Fuzzer {
    nonisolated(unsafe) private static var body: ((UnsafeRawBufferPointer) -> Void)?

    public static func run(_ target: @escaping (UnsafeRawBufferPointer) -> Void) -> Never {
        body = target
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            Fuzzer.body?(UnsafeRawBufferPointer(start: data, count: size))
            return 0
        }
        exit(status)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

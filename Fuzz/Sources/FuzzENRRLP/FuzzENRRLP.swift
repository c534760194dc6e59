import FuzzSupport

// Placeholder: the module's owner replaces this with a decoder round trip.
@main enum FuzzENRRLP {
    static func main() {
        Fuzzer.run { _ in }
    }
}

import FuzzSupport

// Placeholder: the module's owner replaces this with a decoder round trip.
@main enum FuzzRLP {
    static func main() {
        Fuzzer.run { _ in }
    }
}

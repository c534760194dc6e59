/// A failure while a command runs (not a mistake in its arguments): ArgumentParser prints
/// `Error: <message>` without the usage text and exits with status 1. Mistakes in the arguments
/// themselves stay `ValidationError`s (usage text, status 64).
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

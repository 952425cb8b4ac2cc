import ArgumentParser

/// The flags that decide how a coordinator treats workers whose results fail its checks.
struct QuarantineOptions: ParsableArguments {
    @Option(help: "Rejected results after which a worker is refused for the rest of the run.")
    var maxBadResults: Int = 3

    func validate() throws {
        guard (1...1000).contains(maxBadResults) else {
            throw ValidationError("--max-bad-results must be between 1 and 1000")
        }
    }
}

import ArgumentParser
import QuorumCore

/// `--init`: how a fresh network is drawn, for the commands that draw one (`train`, `local`, `coordinator`,
/// `distill`).
struct InitializationOption: ParsableArguments {
    @Option(
        name: .customLong("init"),
        help: """
            How a fresh network's weights and biases are drawn (default: pytorch, U(±1/√fan-in) for both, which \
            trains better than he here: docs/accuracy.md).
            """)
    var given: InitializationScheme?

    /// The scheme of a fresh network when --init is not given.
    static let defaultScheme = InitializationScheme.pytorch

    /// The config's value: the scheme for a fresh network, or only what was given for one read from a file (which
    /// `TrainingConfig.validate` then refuses). He is the library's own default and stays out of the config, so
    /// configs that name no scheme keep meaning what they meant.
    func configValue(freshNetwork: Bool) -> InitializationScheme? {
        let scheme = freshNetwork ? given ?? Self.defaultScheme : given
        return scheme == .he ? nil : scheme
    }
}

import ArgumentParser
import QuorumTraining
import QuorumCore

extension Quorum {
    /// `quorum summary`: a model's layers, output shapes, parameter counts and FLOPs.
    struct Summary: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a model's layers, output shapes, parameter counts and FLOPs.")

        @OptionGroup var choice: ModelChoiceOptions

        func run() throws {
            print(try choice.network().summary())
        }
    }
}

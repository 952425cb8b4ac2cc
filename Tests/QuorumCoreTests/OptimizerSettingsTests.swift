import XCTest
@testable import QuorumCore

/// Optimizer settings: per-optimizer defaults, parsing from command-line values, validation errors that
/// name the field, JSON, and the optimizer they build.
final class OptimizerSettingsTests: XCTestCase {
    func testDefaultsDependOnTheOptimizer() {
        XCTAssertEqual(OptimizerSettings(kind: .adadelta).learningRate, 1.0)
        XCTAssertEqual(OptimizerSettings(kind: .adadelta).rho, 0.9)
        XCTAssertEqual(OptimizerSettings(kind: .adadelta).epsilon, 1e-6)
        XCTAssertEqual(OptimizerSettings(kind: .adam).learningRate, 1e-3)
        XCTAssertEqual(OptimizerSettings(kind: .adam).weightDecay, 0)
        XCTAssertEqual(OptimizerSettings(kind: .adamw).weightDecay, 0.01)
        XCTAssertEqual(OptimizerSettings(kind: .sgd).learningRate, 0.01)
        XCTAssertEqual(OptimizerSettings(kind: .sgd).momentum, 0.9)
        XCTAssertEqual(OptimizerSettings(kind: .rmsprop).rho, 0.99)
        XCTAssertEqual(OptimizerSettings(kind: .rmsprop).momentum, 0)
        XCTAssertEqual(OptimizerSettings(kind: .adamSGD).switchTolerance, 1e-9)
        XCTAssertEqual(OptimizerSettings(kind: .adamSGD, learningRate: 0.01).learningRate, 0.01)
    }

    func testParsesCommandLineValues() throws {
        let s = try OptimizerSettings(
            optimizer: "SGD", learningRate: 0.05, momentum: 0.8, nesterov: true,
            weightDecay: 5e-4, schedule: "step:5:0.5", warmupEpochs: 1)
        XCTAssertEqual(s.kind, .sgd)
        XCTAssertEqual(s.learningRate, 0.05)
        XCTAssertEqual(s.momentum, 0.8)
        XCTAssertTrue(s.nesterov)
        XCTAssertEqual(s.weightDecay, 5e-4)
        XCTAssertEqual(s.schedule, ScheduleSettings(kind: .step(every: 5, gamma: 0.5), warmupEpochs: 1))
        XCTAssertEqual(s.rate(epoch: 5.5, totalEpochs: 10), 0.025, accuracy: 1e-9)
        XCTAssertEqual(try OptimizerSettings(optimizer: "swats").kind, .adamSGD)
        XCTAssertEqual(
            try OptimizerSettings(optimizer: "adam-sgd", switchEpoch: 3, sgdLearningRate: 0.1).switchEpoch, 3)
        for kind in OptimizerKind.allCases {
            XCTAssertEqual(try OptimizerSettings(optimizer: kind.rawValue).kind, kind)
        }
    }

    func testUnknownOptimizerListsTheKnownOnes() {
        XCTAssertThrowsError(try OptimizerSettings(optimizer: "lbfgs")) { error in
            XCTAssertEqual(error as? OptimizerSettingsError, .unknownOptimizer("lbfgs"))
            let message = "\(error)"
            XCTAssertTrue(
                message.contains("lbfgs") && message.contains("adam-sgd") && message.contains("rmsprop"), message)
        }
    }

    /// Each bad value must be reported under its own field name.
    func testValidationNamesTheBadField() {
        let cases: [(String, () throws -> OptimizerSettings)] = [
            ("learningRate", { try OptimizerSettings(optimizer: "adam", learningRate: -1) }),
            ("learningRate", { try OptimizerSettings(optimizer: "adam", learningRate: .infinity) }),
            ("momentum", { try OptimizerSettings(optimizer: "sgd", momentum: 1) }),
            ("nesterov", { try OptimizerSettings(optimizer: "sgd", momentum: 0, nesterov: true) }),
            ("weightDecay", { try OptimizerSettings(optimizer: "adamw", weightDecay: -0.1) }),
            ("beta1", { try OptimizerSettings(optimizer: "adam", beta1: 1) }),
            ("beta2", { try OptimizerSettings(optimizer: "adam-sgd", beta2: -0.5) }),
            ("rho", { try OptimizerSettings(optimizer: "adadelta", rho: 1.5) }),
            ("epsilon", { try OptimizerSettings(optimizer: "rmsprop", epsilon: 0) }),
            ("switchEpoch", { try OptimizerSettings(optimizer: "adam-sgd", switchEpoch: -1) }),
            ("sgdLearningRate", { try OptimizerSettings(optimizer: "adam-sgd", switchEpoch: 2, sgdLearningRate: 0) }),
            ("sgdLearningRate", { try OptimizerSettings(optimizer: "adam-sgd", sgdLearningRate: 0.1) }),
            ("switchTolerance", { try OptimizerSettings(optimizer: "adam-sgd", switchTolerance: 0) }),
            ("schedule.cosine.minimum", { try OptimizerSettings(optimizer: "adam", schedule: "cosine:0.1") }),
            ("warmupEpochs", { try OptimizerSettings(optimizer: "adam", warmupEpochs: -2) }),
            ("schedule", { try OptimizerSettings(optimizer: "adam", schedule: "exp") })
        ]
        for (field, make) in cases {
            XCTAssertThrowsError(try make(), field) { error in
                guard let e = error as? OptimizerSettingsError else { return XCTFail("\(error)") }
                XCTAssertEqual(e.field, field, "\(e)")
                XCTAssertTrue(e.description.contains("`\(field)`"), e.description)
            }
        }
    }

    func testOptionsTheOptimizerDoesNotUseAreRejected() {
        let cases: [(String, String, () throws -> OptimizerSettings)] = [
            ("momentum", "adam", { try OptimizerSettings(optimizer: "adam", momentum: 0.9) }),
            ("nesterov", "rmsprop", { try OptimizerSettings(optimizer: "rmsprop", momentum: 0.9, nesterov: true) }),
            ("beta1", "sgd", { try OptimizerSettings(optimizer: "sgd", beta1: 0.9) }),
            ("rho", "adam", { try OptimizerSettings(optimizer: "adam", rho: 0.9) }),
            ("epsilon", "sgd", { try OptimizerSettings(optimizer: "sgd", epsilon: 1e-8) }),
            ("switchEpoch", "adamw", { try OptimizerSettings(optimizer: "adamw", switchEpoch: 2) })
        ]
        for (field, optimizer, make) in cases {
            XCTAssertThrowsError(try make(), field) { error in
                XCTAssertEqual(error as? OptimizerSettingsError, .notApplicable(field: field, optimizer: optimizer))
            }
        }
        // The same checks guard settings built in code or decoded from JSON.
        var s = OptimizerSettings(kind: .adam)
        s.switchEpoch = 1
        XCTAssertThrowsError(try s.validate()) { XCTAssertEqual(($0 as? OptimizerSettingsError)?.field, "switchEpoch") }
    }

    func testBuildsTheOptimizerWithTheSettingsValues() throws {
        let p = OptimizerFixture.parameter([1], gradient: [1])
        let sgd = try XCTUnwrap(
            try OptimizerSettings(optimizer: "sgd", learningRate: 0.2, momentum: 0.5, nesterov: true)
                .makeOptimizer(parameters: [p]) as? SGD)
        XCTAssertEqual(sgd.learningRate, 0.2)
        XCTAssertEqual(sgd.momentum, 0.5)
        XCTAssertTrue(sgd.nesterov)
        let rms = try XCTUnwrap(
            try OptimizerSettings(optimizer: "rmsprop", rho: 0.9).makeOptimizer(parameters: [p]) as? RMSprop)
        XCTAssertEqual(rms.alpha, 0.9)
        let adamw = try XCTUnwrap(OptimizerSettings(kind: .adamw).makeOptimizer(parameters: [p]) as? Adam)
        XCTAssertTrue(adamw.decoupled)
        XCTAssertEqual(adamw.weightDecay, 0.01)
        let adadelta = try XCTUnwrap(OptimizerSettings(kind: .adadelta).makeOptimizer(parameters: [p]) as? Adadelta)
        XCTAssertEqual(adadelta.learningRate, 1.0)
        let swats = try XCTUnwrap(
            try OptimizerSettings(optimizer: "adam-sgd", switchEpoch: 4, sgdLearningRate: 0.03)
                .makeOptimizer(parameters: [p]) as? AdamThenSGD)
        XCTAssertEqual(swats.switchAtEpoch, 4)
        XCTAssertEqual(swats.sgdLearningRate, 0.03)
        // The built optimizer steps with the settings' rate: one Adadelta step of lr 1 from ρ 0.9, ε 1e-6:
        // s = 0.1, Δ = √1e-6/√(0.100001)·1 = 0.0031623 → 1 − 0.0031623
        adadelta.step()
        XCTAssertEqual(p.value[0], 0.9968377, accuracy: 1e-6)
    }

    func testSettingsSurviveJSON() throws {
        let settings = [
            try OptimizerSettings(
                optimizer: "adam-sgd", learningRate: 3e-4, switchEpoch: 5, sgdLearningRate: 0.05,
                schedule: "cosine:1e-5", warmupEpochs: 0.5),
            OptimizerSettings(kind: .sgd, nesterov: true, weightDecay: 5e-4)
        ]
        for s in settings {
            let decoded = try JSONDecoder().decode(OptimizerSettings.self, from: JSONEncoder().encode(s))
            XCTAssertEqual(decoded, s)
        }
        XCTAssertEqual(String(data: try JSONEncoder().encode(OptimizerKind.adamSGD), encoding: .utf8), "\"adam-sgd\"")
    }

    func testDescriptionShowsTheValuesInUse() throws {
        let s = try OptimizerSettings(optimizer: "sgd", learningRate: 0.1, nesterov: true, schedule: "step:5:0.5")
        XCTAssertEqual(s.description, "sgd lr=0.1 momentum=0.9 nesterov weightDecay=0.0 schedule=step:5:0.5")
    }
}

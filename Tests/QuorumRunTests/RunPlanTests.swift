import XCTest
import QuorumCore
import QuorumData
@testable import QuorumRun
import QuorumTraining

/// `RunPlan.make`: what each member trains with, decided from the shared settings, the member count, the
/// augmentation text and `--vary`; bad settings are refused with the flag named.
final class RunPlanTests: XCTestCase {
    private var base: TrainingConfig {
        var config = TrainingConfig()
        config.seed = 10
        config.threads = 2
        return config
    }

    func testMembersTakeConsecutiveSeedsJobIdsAndCycleTheAugmentationList() throws {
        let plan = try RunPlan.make(base: base, members: 3, augmentation: "none; hflip", runId: "cycle")
        XCTAssertEqual(plan.runId, "cycle")
        XCTAssertEqual(plan.threads, 2)
        XCTAssertEqual(plan.members.map(\.index), [0, 1, 2])
        XCTAssertEqual(plan.members.map(\.jobId), ["member-00", "member-01", "member-02"])
        XCTAssertEqual(plan.members.map(\.config.seed), [10, 11, 12])
        XCTAssertEqual(plan.members.map(\.config.augment), ["none", "hflip", "none"])
        XCTAssertEqual(MemberPlan.jobId(for: 12), "member-12")
    }

    func testABaggedPlanRecordsEachMembersSampleAndTheSamplesDiffer() throws {
        var bagged = base
        bagged.sample = "bootstrap"
        let plan = try RunPlan.make(base: bagged, members: 3, augmentation: "none", runId: "bagging")
        XCTAssertEqual(plan.members.map(\.config.sample), ["bootstrap", "bootstrap", "bootstrap"])
        let samples = try plan.members.map {
            try MemberSample(parsing: XCTUnwrap($0.config.sample)).indices(count: 200, seed: $0.config.seed)
        }
        XCTAssertEqual(Set(samples).count, 3, "each member draws its own sample from its seed")
        let text = String(decoding: try JSONCoding.encoder().encode(plan), as: UTF8.self)
        XCTAssertTrue(text.contains("\"sample\":\"bootstrap\""), "plan.json records it: \(text.prefix(300))")
        bagged.sample = "subsample=2"
        XCTAssertThrowsError(try RunPlan.make(base: bagged, members: 1, augmentation: "none", runId: "x")) {
            XCTAssertTrue("\($0)".contains("sample"), "\($0)")
        }
    }

    func testAPlanGrowsAsItWouldHaveBeenPlanned() throws {
        let variations = ["lr=0.1,0.2,0.3"]
        let small = try RunPlan.make(
            base: base, members: 2, augmentation: "random", variations: variations, runId: "grow")
        XCTAssertEqual(small.variations, variations, "plan.json records --vary")
        let grown = try small.extended(to: 5)
        let planned = try RunPlan.make(
            base: base, members: 5, augmentation: "random", variations: variations, runId: "grow")
        XCTAssertEqual(grown.members, planned.members)
        XCTAssertEqual(grown.createdAt, small.createdAt)
        XCTAssertEqual(try small.extended(to: 2), small)
        XCTAssertThrowsError(try grown.extended(to: 4))
        var unrecorded = small
        unrecorded.variations = nil
        XCTAssertThrowsError(try unrecorded.extended(to: 3), "a varied plan without its --vary cannot grow") {
            XCTAssertTrue("\($0)".contains("cannot be planned again"), "\($0)")
        }
    }

    func testRandomAugmentationIsDecidedByEachMembersSeed() throws {
        let first = try RunPlan.make(base: base, members: 4, augmentation: "random", runId: "a")
        let again = try RunPlan.make(base: base, members: 4, augmentation: "random", runId: "b")
        XCTAssertEqual(first.members.map(\.config.augment), again.members.map(\.config.augment))
        XCTAssertGreaterThan(Set(first.members.map(\.config.augment)).count, 1, "members draw their own settings")
        for member in first.members { XCTAssertNoThrow(try AugmentationSettings(parsing: member.config.augment)) }
        var shifted = base
        shifted.seed = 11
        let later = try RunPlan.make(base: shifted, members: 3, augmentation: "random", runId: "c")
        XCTAssertEqual(
            Array(first.members.map(\.config.augment).dropFirst()), later.members.map(\.config.augment),
            "member i's draw depends on its seed only")
    }

    func testVaryGivesMemberIValueIModuloTheCount() throws {
        let plan = try RunPlan.make(
            base: base, members: 3, augmentation: "none",
            variations: ["lr=0.1,0.2", "batch-size=16", "model=flatten dense(10)"],
            runId: "vary")
        XCTAssertEqual(plan.members.map(\.config.optimizer.learningRate), [0.1, 0.2, 0.1])
        XCTAssertEqual(plan.members.map(\.config.batchSize), [16, 16, 16])
        XCTAssertEqual(plan.members.map(\.config.model), Array(repeating: "flatten dense(10)", count: 3))
        let optimizers = try RunPlan.make(
            base: base, members: 2, augmentation: "none",
            variations: ["optimizer=sgd,adam"], runId: "o")
        XCTAssertNotEqual(optimizers.members[0].config.optimizer, optimizers.members[1].config.optimizer)
    }

    func testBadSettingsNameTheFlagAndTheValue() {
        func message(_ members: Int = 2, _ augmentation: String = "none", _ vary: [String] = []) -> String {
            do {
                _ = try RunPlan.make(
                    base: base, members: members, augmentation: augmentation, variations: vary,
                    runId: "bad")
                return "no error"
            } catch { return "\(error)" }
        }
        XCTAssertTrue(message(0).contains("--members"), message(0))
        XCTAssertTrue(message(2, "none", ["lr"]).contains("KEY=V1,V2"), message(2, "none", ["lr"]))
        XCTAssertTrue(message(2, "none", ["lr="]).contains("lists no values"))
        XCTAssertTrue(message(2, "none", ["lr=fast"]).contains("'fast' is not a number"))
        XCTAssertTrue(message(2, "none", ["colour=red"]).contains("unknown key 'colour'"))
        XCTAssertTrue(message(2, "none", ["optimizer=rmsprop2"]).contains("--vary optimizer"))
        XCTAssertTrue(message(2, "spin=3").contains("member 0"), message(2, "spin=3"))
    }
}

import XCTest
@testable import QuorumData

/// `DataSpec`: every text form parses once and prints back, bad forms name their part, files are located
/// as regular files only, and a copy of the files loads under the original's identity.
final class DataSpecTests: XCTestCase {
    private let idxNames = [
        "train-images-idx3-ubyte", "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"
    ]

    /// Writes an IDX folder of 12 training and 5 test images of 2×2 under `name`, returning its path.
    private func idxFolder(_ dir: TemporaryFolder, _ name: String) throws -> String {
        let folder = dir.path + "/" + name
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let contents = [
            IDX.images(count: 12, rows: 2, cols: 2), IDX.labels((0..<12).map { UInt8($0 % 10) }),
            IDX.images(count: 5, rows: 2, cols: 2), IDX.labels([4, 3, 2, 1, 0])
        ]
        for (file, bytes) in zip(idxNames, contents) {
            XCTAssertTrue(FileManager.default.createFile(atPath: folder + "/" + file, contents: Data(bytes)))
        }
        return folder
    }

    func testEveryTextFormParsesAndPrintsBack() throws {
        XCTAssertEqual(try DataSpec(parsing: " fashion-mnist "), .fashionMNIST)
        XCTAssertEqual(try DataSpec(parsing: "data/digits"), .folder(path: "data/digits"))
        XCTAssertEqual(
            try DataSpec(parsing: "train=a:b, test=c:d"),
            .idxFiles(trainImages: "a", trainLabels: "b", testImages: "c", testLabels: "d"))
        XCTAssertEqual(try DataSpec(parsing: "train=x.csv,test=y.CSV.gz"), .csvFiles(train: "x.csv", test: "y.CSV.gz"))
        for text in ["fashion-mnist", "data/digits", "train=a:b,test=c:d", "train=x.csv,test=y.csv.gz"] {
            XCTAssertEqual(try DataSpec(parsing: text).description, text)
        }
        XCTAssertEqual(DataSpec.fashionMNIST.fixedNormalization, .fashionMNIST)
        XCTAssertNil(DataSpec.folder(path: "fashion").fixedNormalization, "only the named data set has fixed constants")
        XCTAssertEqual(DataSpec.folder(path: "/data/my-set/").name, "my-set")
        XCTAssertEqual(try DataSpec(parsing: "train=a:b,test=c:d").name, "idx")
    }

    func testBadFormsNameTheirPart() {
        func reason(_ text: String) -> String {
            do { _ = try DataSpec(parsing: text); return "accepted" } catch { return "\(error)" }
        }
        XCTAssertTrue(reason("  ").contains("empty"), reason("  "))
        XCTAssertTrue(reason("train=a.csv").contains("both train=… and test=… are needed"), reason("train=a.csv"))
        XCTAssertTrue(reason("train=a:b,train=c:d").contains("'train' is given twice"), reason("train=a:b,train=c:d"))
        XCTAssertTrue(
            reason("valid=a:b,test=c:d").contains("'valid=a:b' is not train=… or test=…"),
            reason("valid=a:b,test=c:d"))
        XCTAssertTrue(
            reason("train=a.csv,test=b").contains("train=a.csv must be IMAGES:LABELS"),
            reason("train=a.csv,test=b"))
    }

    func testLocatingRefusesDevicesAndNamesWhatIsMissing() throws {
        let spec = DataSpec.idxFiles(
            trainImages: "/dev/zero", trainLabels: "/dev/zero",
            testImages: "/dev/zero", testLabels: "/dev/zero")
        XCTAssertThrowsError(try spec.locate()) { XCTAssertEqual($0 as? DataError, .notRegularFile(file: "/dev/zero")) }
        let dir = TemporaryFolder()
        XCTAssertThrowsError(try DataSpec.folder(path: dir.path + "/absent").locate()) {
            XCTAssertTrue("\($0)".contains("absent") && "\($0)".contains("a folder"), "\($0)")
        }
        let folder = try idxFolder(dir, "digits")
        try FileManager.default.removeItem(atPath: folder + "/t10k-labels-idx1-ubyte")
        XCTAssertThrowsError(try DataSpec.folder(path: folder).locate()) {
            XCTAssertEqual($0 as? DataError, .missingFile(folder: folder, name: "t10k-labels-idx1-ubyte"))
        }
    }

    func testFilesCarryTheNamesTheyShipUnder() throws {
        let dir = TemporaryFolder()
        let folder = try idxFolder(dir, "digits")
        let files = try DataSpec.folder(path: folder).locate()
        XCTAssertEqual(files.format, .idx)
        XCTAssertEqual(files.files.map(\.name), idxNames)
        let explicit = try DataSpec(
            parsing: "train=\(folder)/train-images-idx3-ubyte:\(folder)/train-labels-idx1-ubyte,"
                + "test=\(folder)/t10k-images-idx3-ubyte:\(folder)/t10k-labels-idx1-ubyte")
        XCTAssertEqual(try explicit.locate().files.map(\.name), idxNames)
        let copy = URL(fileURLWithPath: "/cache/abc")
        XCTAssertEqual(
            explicit.copy(in: copy).description,
            "train=/cache/abc/train-images-idx3-ubyte:/cache/abc/train-labels-idx1-ubyte,"
                + "test=/cache/abc/t10k-images-idx3-ubyte:/cache/abc/t10k-labels-idx1-ubyte")
        XCTAssertEqual(DataSpec.folder(path: folder).copy(in: copy), .folder(path: "/cache/abc"))
        XCTAssertEqual(
            DataSpec.csvFiles(train: "a.csv", test: "b.csv").copy(in: copy),
            .csvFiles(train: "/cache/abc/train.csv", test: "/cache/abc/test.csv"))
    }

    /// A shipped copy lives in a cache folder with another name; read through the original spec, its splits
    /// and classes are named as the original's, so a worker trains exactly what the coordinator planned.
    func testACopyLoadsUnderTheOriginalIdentity() throws {
        let dir = TemporaryFolder()
        let original = DataSpec.folder(path: try idxFolder(dir, "my-fashion-set"))
        let copy = DataSpec.folder(path: try idxFolder(dir, "0123abcd"))
        let direct = try original.loadTrainTest()
        let shipped = try original.loadTrainTest(from: copy)
        XCTAssertEqual(shipped.train.name, "my-fashion-set/train")
        XCTAssertEqual(shipped.test.name, direct.test.name)
        XCTAssertEqual(shipped.train.classNames, DataSpec.fashionMNISTClassNames)
        XCTAssertEqual(shipped.train.pixels, direct.train.pixels)
        XCTAssertEqual(try copy.loadTrainTest().train.classNames, (0..<10).map(String.init))
    }
}

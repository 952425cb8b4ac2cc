import XCTest
@testable import QuorumData

final class DataSourceTests: XCTestCase {
    /// An MNIST-style folder: 50 training and 20 test images of 3×3, labels cycling through 0..9.
    private func mnistFolder(_ dir: TemporaryFolder, gzip: Bool) {
        let wrap: ([UInt8]) -> [UInt8] = { gzip ? Gzip.compress($0) : $0 }
        let ext = gzip ? ".gz" : ""
        dir.write("train-images-idx3-ubyte" + ext, wrap(IDX.images(count: 50, rows: 3, cols: 3)))
        dir.write("train-labels-idx1-ubyte" + ext, wrap(IDX.labels((0..<50).map { UInt8($0 % 10) })))
        dir.write("t10k-images-idx3-ubyte" + ext, wrap(IDX.images(count: 20, rows: 3, cols: 3)))
        dir.write("t10k-labels-idx1-ubyte" + ext, wrap(IDX.labels((0..<20).map { UInt8($0 % 10) })))
    }

    func testFolderSpecSplitsDisjointAndSeeded() throws {
        let dir = TemporaryFolder()
        mnistFolder(dir, gzip: true)
        let splits = try DataSource.load(dir.path, validationSize: 10, seed: 7)
        XCTAssertEqual(splits.train.count, 40)
        XCTAssertEqual(splits.validation.count, 10)
        XCTAssertEqual(splits.test.count, 20)
        XCTAssertEqual(splits.train.classNames, (0..<10).map(String.init))
        // Every training image is distinct (pixel i of image k is (31k + i) % 256), so the byte
        // patterns identify images: train and validation together are the original set, without overlap.
        let size = 9
        let trainImages = Set((0..<splits.train.count).map { splits.train.image($0) })
        let validationImages = Set((0..<splits.validation.count).map { splits.validation.image($0) })
        XCTAssertTrue(trainImages.isDisjoint(with: validationImages))
        XCTAssertEqual(trainImages.count + validationImages.count, 50)
        XCTAssertEqual(splits.train.pixels.count, 40 * size)

        let again = try DataSource.load(dir.path, validationSize: 10, seed: 7)
        XCTAssertEqual(again.validation.pixels, splits.validation.pixels)
        let other = try DataSource.load(dir.path, validationSize: 10, seed: 8)
        XCTAssertNotEqual(other.validation.pixels, splits.validation.pixels)

        let none = try DataSource.load(dir.path, validationSize: 0, seed: 7)
        XCTAssertEqual(none.train.count, 50)
        XCTAssertEqual(none.validation.count, 0)
        XCTAssertThrowsError(try DataSource.load(dir.path, validationSize: 51, seed: 7)) {
            XCTAssertEqual($0 as? DataError, .validationTooLarge(requested: 51, available: 50))
        }
    }

    func testExplicitIDXAndCSVFiles() throws {
        let dir = TemporaryFolder()
        mnistFolder(dir, gzip: false)
        let p = dir.path
        let spec =
            "train=\(p)/train-images-idx3-ubyte:\(p)/train-labels-idx1-ubyte,test=\(p)/t10k-images-idx3-ubyte:\(p)/t10k-labels-idx1-ubyte"
        let idx = try DataSource.load(spec, validationSize: 5, seed: 1)
        XCTAssertEqual([idx.train.count, idx.validation.count, idx.test.count], [45, 5, 20])

        let train = dir.write("train.csv", text: "label,a,b,c,d\n0,1,2,3,4\n1,5,6,7,8\n2,9,9,9,9\n")
        let test = dir.write("test.csv", text: "4,1,1,1,1\n")
        let csv = try DataSource.load("train=\(train),test=\(test)", validationSize: 1, seed: 1)
        XCTAssertEqual(csv.train.count, 2)
        XCTAssertEqual(csv.test.imageShape, [2, 2, 1])
        XCTAssertEqual(csv.train.numClasses, 5, "class count covers labels of both files")
        XCTAssertEqual(csv.test.numClasses, 5)
    }

    func testBadSpecsAndMissingFiles() {
        let dir = TemporaryFolder()
        XCTAssertThrowsError(try DataSource.load("train=a.csv", seed: 0)) {
            XCTAssertTrue("\($0)".contains("test="), "\($0)")
        }
        XCTAssertThrowsError(try DataSource.load("train=x,test=y", seed: 0)) {
            XCTAssertTrue("\($0)".contains("IMAGES:LABELS"), "\($0)")
        }
        XCTAssertThrowsError(try DataSource.load(dir.path + "/absent", seed: 0)) {
            XCTAssertTrue("\($0)".contains("absent"), "\($0)")
        }
        dir.write("train-images-idx3-ubyte", IDX.images(count: 1, rows: 2, cols: 2))
        XCTAssertThrowsError(try DataSource.load(dir.path, seed: 0)) {
            XCTAssertEqual($0 as? DataError, .missingFile(folder: dir.path, name: "train-labels-idx1-ubyte"))
        }
    }

    func testMessagesNameThePackageAndTheFolderKind() throws {
        let missing = DataError.missingPackage(
            dataset: "fashion-mnist", folder: DataSource.fashionMNISTFolder,
            package: DataSource.fashionMNISTPackage)
        XCTAssertTrue(missing.description.contains("install the package `dataset-fashion-mnist`"), missing.description)
        let dir = TemporaryFolder()
        let fashion = dir.path + "/my-fashion-copy"
        try FileManager.default.createDirectory(atPath: fashion, withIntermediateDirectories: true)
        let names = [
            "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"
        ]
        let contents = [
            IDX.images(count: 4, rows: 2, cols: 2), IDX.labels([0, 1, 2, 3]),
            IDX.images(count: 2, rows: 2, cols: 2), IDX.labels([4, 5])
        ]
        for (name, bytes) in zip(names, contents) {
            XCTAssertTrue(FileManager.default.createFile(atPath: fashion + "/" + name, contents: Data(bytes)))
        }
        let splits = try DataSource.load(fashion, validationSize: 1, seed: 0)
        XCTAssertEqual(splits.train.classNames[0], "T-shirt/top")
        XCTAssertEqual(splits.train.name, "my-fashion-copy/train")
        XCTAssertEqual(splits.validation.name, "my-fashion-copy/validation")
    }

    func testCIFARFolder() throws {
        let dir = TemporaryFolder()
        let sub = dir.path + "/cifar-10-batches-bin"
        try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: true)
        func batch(_ labels: [UInt8]) -> Data { Data(labels.flatMap { [$0] + [UInt8](repeating: $0, count: 3072) }) }
        for i in 1...5 {
            XCTAssertTrue(
                FileManager.default.createFile(atPath: sub + "/data_batch_\(i).bin", contents: batch([UInt8(i), 0])))
        }
        XCTAssertTrue(FileManager.default.createFile(atPath: sub + "/test_batch.bin", contents: batch([9])))
        let splits = try DataSource.load(dir.path, validationSize: 2, seed: 3)
        XCTAssertEqual([splits.train.count, splits.validation.count, splits.test.count], [8, 2, 1])
        XCTAssertEqual(splits.test.imageShape, [32, 32, 3])
        XCTAssertEqual(splits.test.classNames.last, "truck")
    }

    func testLimitedTakesTheFirstImages() throws {
        let dir = TemporaryFolder()
        mnistFolder(dir, gzip: false)
        let splits = try DataSource.load(dir.path, validationSize: 10, seed: 7)
        let small = splits.limited(train: 4, test: 3)
        XCTAssertEqual(small.train.labels, Array(splits.train.labels.prefix(4)))
        XCTAssertEqual(small.test.count, 3)
        XCTAssertEqual(small.validation.count, 10)
        XCTAssertEqual(splits.limited(train: nil, test: 1000).test.count, 20)
    }

    func testFashionMNISTPackage() throws {
        guard FileManager.default.fileExists(atPath: DataSource.fashionMNISTFolder) else {
            throw XCTSkip("package \(DataSource.fashionMNISTPackage) is not installed")
        }
        let splits = try DataSource.load("fashion-mnist", validationSize: 5000, seed: 0)
        XCTAssertEqual(splits.train.count, 55_000)
        XCTAssertEqual(splits.validation.count, 5000)
        XCTAssertEqual(splits.test.count, 10_000)
        XCTAssertEqual(splits.train.imageShape, [28, 28, 1])
        XCTAssertEqual(splits.train.classNames, DataSource.fashionMNISTClassNames)
        XCTAssertEqual(splits.test.classCounts(), [Int](repeating: 1000, count: 10))
        let trainCounts = zip(splits.train.classCounts(), splits.validation.classCounts()).map { $0 + $1 }
        XCTAssertEqual(trainCounts, [Int](repeating: 6000, count: 10))
        let fitted = Normalization.fit(splits.test)
        XCTAssertEqual(fitted.mean[0], 0.2860, accuracy: 0.01)
        XCTAssertEqual(fitted.std[0], 0.3530, accuracy: 0.01)
    }
}

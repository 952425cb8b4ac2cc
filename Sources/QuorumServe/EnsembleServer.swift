import Foundation
import QuorumMetrics
import Hummingbird
import Logging
import NIOCore
import QuorumData

/// `quorum serve` as a library: an HTTP service answering votes of an ensemble folder, with dynamic batching,
/// Prometheus metrics, a page to try it and its OpenAPI description (docs/serving.md, docs/openapi.yaml).
public struct EnsembleServer: Sendable {
    /// The ensemble folder (ensemble.json and the member files).
    public let directory: URL
    /// How the server listens, batches and limits requests.
    public let settings: ServeSettings
    private let logger: Logger
    private let state = ServeState()
    private let metrics: ServeMetrics

    /// A server for the ensemble in `directory`; it loads the members once it runs.
    public init(directory: URL, settings: ServeSettings, logger: Logger) {
        self.directory = directory
        self.settings = settings
        self.logger = logger
        metrics = ServeMetrics(maxBatch: settings.maxBatch)
    }

    /// The application: `runService()` serves until SIGTERM or SIGINT and then finishes the requests in flight;
    /// `run()` serves until its task is cancelled. `onRunning` gets the port the server listens on.
    public func application(
        onRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let loader = EnsembleLoader(
            directory: directory, settings: settings, state: state, metrics: metrics, logger: logger)
        return Application(
            router: router(),
            configuration: ApplicationConfiguration(
                address: .hostname(settings.address.host, port: settings.address.port), serverName: "quorum"),
            services: [loader],
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    private func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: ServeMiddleware(metrics: metrics, token: settings.token.map(BearerToken.init)))
        let state = state, metrics = metrics, settings = settings
        router.get("/healthz") { _, _ in JSONBody.response(["status": "ok"]) }
        router.get("/readyz") { _, _ in
            let members = try state.ensemble().manifest.members.count
            return JSONBody.response(ReadyBody(status: "ready", members: members))
        }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.text())))
        }
        router.get("/v1/ensemble") { _, _ in
            JSONBody.response(EnsembleDescription(try state.ensemble().manifest, settings: settings))
        }
        router.get("/v1/examples") { _, _ in
            JSONBody.response(ExamplesBody(settings.examples, classNames: try state.ensemble().manifest.classNames))
        }
        router.post("/v1/vote") { request, _ in
            try await Self.vote(request, state: state, maxBody: settings.maxBody)
        }
        router.get("/") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: ServePage.html)))
        }
        router.get("/openapi.yaml") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.yaml)))
        }
        return router
    }

    /// Reads the body (refused past `maxBody`), decodes its images, votes them in the next batch and answers.
    private static func vote(_ request: Request, state: ServeState, maxBody: Int) async throws -> Response {
        let ensemble = try state.ensemble()
        var members = false
        if let value = request.uri.queryParameters["members"] {
            guard let flag = ["1": true, "true": true, "0": false, "false": false][String(value)] else {
                throw ServeError.badRequest("query 'members': expected 1, true, 0 or false, got '\(value)'")
            }
            members = flag
        }
        let body = try await RequestBodyReader.read(request, limit: maxBody)
        let (images, names) = try ensemble.decoder.decode(
            body: body, contentType: request.headers[.contentType],
            shapeHeader: request.headers.first { $0.name.canonicalName == "x-image-shape" }?.value)
        let slice = await ensemble.batcher.vote(images)
        let answers = (0..<slice.count).map {
            VoteAnswer(
                slice.vote, image: slice.start + $0, name: names[$0], classNames: ensemble.manifest.classNames,
                members: members)
        }
        return JSONBody.response(VoteResponse(images: answers.count, answers: answers))
    }
}

/// The body of `/readyz` once ready.
struct ReadyBody: Encodable {
    let status: String
    let members: Int
}

/// The body of `/v1/examples`: the images the page offers, as base64 HWC bytes.
struct ExamplesBody: Encodable {
    struct Example: Encodable {
        let index: Int
        let label: Int?
        let labelName: String?
        let pixels: String
    }

    let shape: [Int]
    let examples: [Example]

    init(_ examples: ServeExamples, classNames: [String]) {
        guard let images = examples.images else {
            shape = []
            self.examples = []
            return
        }
        let size = images.imageShape.reduce(1, *)
        shape = images.imageShape
        self.examples = (0..<images.count).map { i in
            let label = examples.labels.map { Int($0[i]) }
            return Example(
                index: i, label: label, labelName: label.flatMap { $0 < classNames.count ? classNames[$0] : nil },
                pixels: Data(images.pixels[(i * size)..<((i + 1) * size)]).base64EncodedString())
        }
    }
}

/// Reads a request body up to a limit: a Content-Length over it is refused before any byte is read, and a
/// streamed body is refused as soon as it passes the limit, so no more than `limit` bytes are ever held.
enum RequestBodyReader {
    static func read(_ request: Request, limit: Int) async throws -> [UInt8] {
        if let text = request.headers[.contentLength], let declared = Int(text), declared > limit {
            throw ServeError.bodyTooLarge(limit: limit, declared: declared)
        }
        var bytes: [UInt8] = []
        for try await buffer in request.body {
            guard bytes.count + buffer.readableBytes <= limit else {
                throw ServeError.bodyTooLarge(limit: limit, declared: nil)
            }
            bytes.append(contentsOf: buffer.readableBytesView)
        }
        return bytes
    }
}

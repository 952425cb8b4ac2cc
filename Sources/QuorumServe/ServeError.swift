import Foundation
import Hummingbird
import QuorumCore

/// Why a request was refused. Every case becomes a JSON body `{"error": message, "status": code}` with its
/// HTTP status, and the message names the part of the request at fault and what was expected.
public enum ServeError: Error, CustomStringConvertible, HTTPResponseError {
    /// The request carried no bytes.
    case emptyBody
    /// The body is larger than `--max-body` (declared in Content-Length, or counted while it streamed in).
    case bodyTooLarge(limit: Int, declared: Int?)
    /// The request holds more images than one request may carry.
    case tooManyImages(count: Int, limit: Int)
    /// The body's Content-Type, or an image's bytes, are of a kind the server does not read.
    case unsupportedType(part: String, found: String)
    /// An image could not be decoded (a reader's message, which names the part).
    case badImage(part: String, reason: String)
    /// An image's declared shape or byte count does not fit the ensemble.
    case wrongShape(part: String, reason: String)
    /// A multipart body, a header or a query is malformed.
    case badRequest(String)
    /// No bearer token, or the wrong one, on a route that needs it.
    case unauthorized(String)
    /// The members are still loading (or failed to load).
    case notReady(String)
    /// No route answers this path.
    case notFound(path: String)
    /// The path exists, but not with this method.
    case methodNotAllowed(path: String, method: String, allowed: [String])

    /// The HTTP status of the refusal.
    public var status: HTTPResponse.Status {
        switch self {
        case .emptyBody, .badImage, .badRequest: return .badRequest
        case .bodyTooLarge, .tooManyImages: return .contentTooLarge
        case .unsupportedType: return .unsupportedMediaType
        case .wrongShape: return .unprocessableContent
        case .unauthorized: return .unauthorized
        case .notReady: return .serviceUnavailable
        case .notFound: return .notFound
        case .methodNotAllowed: return .methodNotAllowed
        }
    }

    /// A message naming the problem and what was expected.
    public var description: String {
        switch self {
        case .emptyBody:
            return "the request body is empty; expected one PNG, JPEG or PGM image, raw pixels with an "
                + "X-Image-Shape header, or a multipart/form-data batch"
        case let .bodyTooLarge(limit, declared):
            let size = declared.map { "Content-Length \($0) bytes" } ?? "the body"
            return "\(size) is over the server's limit of \(limit) bytes (--max-body)"
        case let .tooManyImages(count, limit):
            return "the request holds \(count) images; at most \(limit) are voted per request (--max-images)"
        case let .unsupportedType(part, found):
            return "\(part): unsupported type \(found); expected image/png, image/jpeg, image/x-portable-graymap, "
                + "application/octet-stream (PNG, JPEG or PGM bytes, or raw pixels with X-Image-Shape) "
                + "or multipart/form-data"
        case let .badImage(_, reason): return reason
        case let .wrongShape(part, reason): return "\(part): \(reason)"
        case let .badRequest(reason): return reason
        case let .unauthorized(reason): return reason
        case let .notReady(reason): return reason
        case let .notFound(path): return "no route for \(path); see /openapi.yaml"
        case let .methodNotAllowed(path, method, allowed):
            return "\(path) does not answer \(method); it answers \(allowed.joined(separator: ", "))"
        }
    }

    /// The JSON body, with `WWW-Authenticate` on a 401.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = JSONBody.response(ErrorBody(error: description, status: Int(status.code)), status: status)
        if case .unauthorized = self { response.headers[.wwwAuthenticate] = #"Bearer realm="quorum""# }
        if case let .methodNotAllowed(_, _, allowed) = self {
            response.headers[.allow] = allowed.joined(separator: ", ")
        }
        return response
    }
}

/// The body of every refusal.
struct ErrorBody: Encodable {
    let error: String
    let status: Int
}

/// JSON responses in the project's one JSON style (sorted keys, snake_case).
enum JSONBody {
    /// `value` as a JSON response with `status`.
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        // The server's own types always encode; a failure here is a programming error.
        let encoder = JSONCoding.encoder()
        encoder.outputFormatting.insert(.withoutEscapingSlashes)
        let data = try! encoder.encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

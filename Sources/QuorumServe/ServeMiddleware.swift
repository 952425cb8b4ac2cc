import Hummingbird
import QuorumMetrics

/// Wraps every route: checks the bearer token where one is needed, turns every error into a JSON body with
/// its status, and counts the request and its latency by route and status.
struct ServeMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServeMetrics
    let token: BearerToken?

    /// Each route's methods. `/metrics` names these paths; any other counts as "other", so that clients
    /// cannot grow its label set.
    static var routes: [String: [String]] {
        [
            "/": ["GET"], "/healthz": ["GET"], "/readyz": ["GET"], "/metrics": ["GET"], "/openapi.yaml": ["GET"],
            "/v1/vote": ["POST"], "/v1/ensemble": ["GET"], "/v1/examples": ["GET"]
        ]
    }

    /// Paths open without a token: probes, the page and the API description (the page sends the token itself).
    static var open: Set<String> { ["/", "/healthz", "/readyz", "/openapi.yaml"] }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        let path = request.uri.path
        let route = Self.routes[path] == nil ? "other" : path
        var response: Response
        do {
            if let token, !Self.open.contains(path) {
                let header = request.headers[.authorization]
                guard token.accepts(authorization: header) else {
                    throw ServeError.unauthorized(
                        header == nil
                            ? "\(path) needs a bearer token: send 'Authorization: Bearer <token>'"
                            : "the bearer token is wrong")
                }
            }
            response = try await next(request, context)
        } catch let error as ServeError {
            response = try error.response(from: request, context: context)
        } catch let error as HTTPError where error.status == .notFound {
            let refusal =
                Self.routes[path].map {
                    ServeError.methodNotAllowed(path: path, method: request.method.rawValue, allowed: $0)
                } ?? .notFound(path: path)
            response = try refusal.response(from: request, context: context)
        } catch let error as any HTTPResponseError {
            let body = ErrorBody(error: "\(path): \(error)", status: Int(error.status.code))
            response = JSONBody.response(body, status: error.status)
        } catch {
            let body = ErrorBody(error: "\(path): internal error: \(error)", status: 500)
            response = JSONBody.response(body, status: .internalServerError)
        }
        metrics.request(route: route, status: Int(response.status.code), duration: ContinuousClock.now - start)
        return response
    }
}

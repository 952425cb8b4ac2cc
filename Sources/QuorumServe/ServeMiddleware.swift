import Hummingbird

/// Wraps every route: checks the bearer token where one is needed, turns every error into a JSON body with
/// its status, and counts the request and its latency by route and status.
struct ServeMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServeMetrics
    let token: BearerToken?

    /// The routes `/metrics` names; any other path counts as "other", so clients cannot grow its label set.
    static var routes: Set<String> {
        ["/", "/healthz", "/readyz", "/metrics", "/openapi.yaml", "/v1/vote", "/v1/ensemble", "/v1/examples"]
    }

    /// Paths open without a token: probes, the page and the API description (the page sends the token itself).
    static var open: Set<String> { ["/", "/healthz", "/readyz", "/openapi.yaml"] }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        let path = request.uri.path
        let route = Self.routes.contains(path) ? path : "other"
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
            response = try ServeError.notFound(path: path).response(from: request, context: context)
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

import Foundation
import Hummingbird

/// Counts and times every request by the route template the router matched
/// (`/api/v1/items/{id}`), its method and its status, when its body has been written — a 25 MB
/// download is timed to its last byte. Requests no route matched share one series.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = DispatchTime.now()
        metrics.requestsInFlight.increment()
        let method = request.method.rawValue
        do {
            var response = try await next(request, context)
            let status = response.status.code
            let body = response.body
            let finished: @Sendable () -> Void = {
                metrics.recordRequest(route: Self.route(context), method: method, status: status, since: started)
                metrics.requestsInFlight.decrement()
            }
            // Recorded once the body is written, or its writing failed (the client went away).
            response.body = ResponseBody(contentLength: body.contentLength) { writer in
                do {
                    try await body.write(writer)
                    finished()
                } catch {
                    finished()
                    throw error
                }
            }
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.recordRequest(route: Self.route(context), method: method, status: status, since: started)
            metrics.requestsInFlight.decrement()
            throw error
        }
    }

    private static func route(_ context: Context) -> String {
        guard let path = context.endpointPath, path != "NotFound" else { return "unmatched" }
        return path
    }
}

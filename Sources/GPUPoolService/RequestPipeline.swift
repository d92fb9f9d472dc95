import GPUPoolSupport
import Foundation
import GPUPoolModel
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import OpenAPIRuntime
import Synchronization

/// Everything around the generated handlers, in one middleware so the order is evident:
/// request id → authentication → body limit and disconnect watch → handler → error answer →
/// one structured log line and the request metrics.
struct RequestPipeline: RouterMiddleware {
    typealias Context = ServiceRequestContext

    let configuration: ServiceConfiguration
    let metrics: ServiceMetrics
    let state: ServiceState
    let logger: Logger

    /// Paths that answer without a token when ``ServiceConfiguration/openProbes`` is set.
    static let probePaths: Set<String> = ["/healthz", "/readyz", "/metrics", "/openapi.yaml"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let path = request.uri.path
        let requestID = request.headers[Self.requestIDField].flatMap(Self.acceptableRequestID) ?? context.id
        var response: Response
        let template = Self.template(of: path)
        let route = template.flatMap { Self.routes[$0] }
        let request = Self.withAcceptSettled(request, path: path)
        do {
            if let route { try Self.checkMethod(request.method, route: route) }
            try authenticate(request, path: path)
            if let route, !route.mediaTypes.isEmpty { try Self.checkMediaType(request, route: route) }
            if path.hasPrefix("/v1/") && request.method == .post {
                if state.isShuttingDown {
                    // Draining: the running work finishes, new work goes elsewhere (also on a
                    // keep-alive connection opened before the shutdown).
                    metrics.recordRejected(reason: "shutting_down")
                    throw APIError.shuttingDown(retryAfter: configuration.retryAfterSeconds)
                }
                response = try await withBody(request, context: context, next: next)
                // The generated code percent-encodes header values ("/" → %2F), which makes a
                // Location header useless; it only ever holds a path of ours.
                if let location = response.headers[.location], location.contains("%") {
                    response.headers[.location] = location.removingPercentEncoding ?? location
                }
            } else {
                // No body to read: the job reads (GET) and cancels (DELETE) of /v1/jobs, which stay
                // open during a drain so clients can collect what finishes in the grace period.
                response = try await next(request, context)
            }
        } catch {
            let apiError = Self.apiError(for: error)
            if apiError.status == .internalServerError {
                logger.error("request failed", metadata: ["request_id": .string(requestID), "error": .string(String(describing: error))])
            }
            response = Self.response(for: apiError)
            if apiError.status == .methodNotAllowed, let route { response.headers[.allow] = route.allowHeader }
        }
        response.headers[Self.requestIDField] = requestID
        let seconds = (ContinuousClock.now - start).seconds
        metrics.recordRequest(route: template ?? "other", method: request.method.rawValue, status: Int(response.status.code), seconds: seconds)
        logger.info("request", metadata: [
            "request_id": .string(requestID),
            "method": .string(request.method.rawValue),
            "path": .string(path),
            "status": .stringConvertible(response.status.code),
            "duration_ms": .string(String(format: "%.3f", seconds * 1000)),
        ])
        return response
    }

    /// The operations of `openapi.yaml`: the methods each path takes (HEAD with GET) and the media
    /// types of its request body. Checked before the handlers run, so that a wrong method is 405 (not
    /// 404) and an unknown media type 415 (not 400); a test compares the table with the spec.
    struct Route: Sendable {
        var methods: Set<HTTPRequest.Method>
        var mediaTypes: Set<String> = []
        /// The methods as a 405 answer's `Allow` header lists them.
        var allowHeader: String { methods.map(\.rawValue).sorted().joined(separator: ", ") }
    }

    static let routes: [String: Route] = [
        "/v1/solve": Route(methods: [.post], mediaTypes: ["application/json", "text/plain", "application/octet-stream"]),
        "/v1/plan": Route(methods: [.post], mediaTypes: ["application/json"]),
        "/v1/validate": Route(methods: [.post], mediaTypes: ["application/json"]),
        "/v1/telemetry": Route(methods: [.post], mediaTypes: ["application/json", "text/plain", "application/octet-stream"]),
        "/v1/jobs": Route(methods: [.post], mediaTypes: ["application/json", "text/plain", "application/octet-stream"]),
        "/v1/jobs/{id}": Route(methods: [.get, .head, .delete]),
        "/v1/jobs/{id}/events": Route(methods: [.get, .head]),
        "/healthz": Route(methods: [.get, .head]),
        "/readyz": Route(methods: [.get, .head]),
        "/metrics": Route(methods: [.get, .head]),
        "/openapi.yaml": Route(methods: [.get, .head]),
    ]

    static func checkMethod(_ method: HTTPRequest.Method, route: Route) throws(APIError) {
        guard route.methods.contains(method) else {
            throw APIError(status: .methodNotAllowed, code: "method_not_allowed",
                           message: "\(method.rawValue) is not allowed here; allowed: \(route.allowHeader)")
        }
    }

    /// The media type of a `Content-Type` value: lower case, without parameters and blanks; `nil`
    /// for an empty value (treated as no header: the body's first byte decides).
    static func mediaType(_ contentType: String) -> String? {
        // Bytes, not Foundation's trimming: this runs on every request (it cost 4 % of a tiny solve).
        let type = contentType.utf8.prefix { $0 != UInt8(ascii: ";") }
        let blank: (UInt8) -> Bool = { $0 == 32 || $0 == 9 }
        guard let first = type.firstIndex(where: { !blank($0) }), let last = type.lastIndex(where: { !blank($0) }) else { return nil }
        return String(decoding: type[first...last].map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    static func checkMediaType(_ request: Request, route: Route) throws(APIError) {
        guard let value = request.headers[.contentType], let type = mediaType(value) else { return }
        guard route.mediaTypes.contains(type) else {
            throw APIError(status: .unsupportedMediaType, code: "unsupported_media_type",
                           message: "Content-Type \(type) is not accepted here; use \(route.mediaTypes.sorted().joined(separator: " or "))",
                           details: [.init(field: "Content-Type", message: "one of \(route.mediaTypes.sorted().joined(separator: ", "))")])
        }
    }

    /// Each operation has one media type per answer, except `/openapi.yaml` (application/yaml or
    /// text/yaml). The generated code refuses to send an answer whose type `Accept` does not list,
    /// after the work is done, as a 500; so `Accept` is disregarded (RFC 9110 allows it) — except
    /// that `/openapi.yaml` gets `Accept: text/yaml` when the client prefers that to application/yaml.
    static func withAcceptSettled(_ request: Request, path: String) -> Request {
        guard let accept = request.headers[.accept] else { return request }
        var head = request.head
        head.headerFields[.accept] = path == "/openapi.yaml" && prefersTextYAML(accept) ? "text/yaml" : nil
        return Request(head: head, body: request.body)
    }

    /// Whether an `Accept` value ranks text/yaml (or text/*) above application/yaml (or application/*, */*).
    static func prefersTextYAML(_ accept: String) -> Bool {
        var text = -1.0, application = -1.0
        for item in accept.split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let range = parts.first else { continue }
            let quality = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            switch range {
            case "text/yaml": text = max(text, quality > 0 ? quality + 0.001 : 0)  // an exact match beats a wildcard of the same q
            case "text/*": text = max(text, quality)
            case "application/yaml": application = max(application, quality > 0 ? quality + 0.001 : 0)
            case "application/*", "*/*": application = max(application, quality)
            default: continue
            }
        }
        return text > 0 && text > application
    }

    // A literal valid field name: the initializer only fails on invalid characters.
    static let requestIDField = HTTPField.Name("X-Request-Id")!

    /// A client's request id is echoed into logs and headers only if short and plain.
    static func acceptableRequestID(_ value: String) -> String? {
        guard (1...128).contains(value.utf8.count),
              value.utf8.allSatisfy({ $0 < 128 && (Character(UnicodeScalar($0)).isLetter || Character(UnicodeScalar($0)).isNumber || $0 == 45 || $0 == 95 || $0 == 46) })
        else { return nil }
        return value
    }

    /// The key of ``routes`` a path matches (`/v1/jobs/ab12` → `/v1/jobs/{id}`), or `nil`. Also the
    /// route label of the metrics, a fixed set whatever paths clients try ("other" for no match).
    static func template(of path: String) -> String? {
        if routes[path] != nil { return path }
        guard path.hasPrefix("/v1/jobs/") else { return nil }
        let rest = path.dropFirst("/v1/jobs/".count).split(separator: "/", omittingEmptySubsequences: false)
        guard let id = rest.first, !id.isEmpty else { return nil }
        switch rest.count {
        case 1: return "/v1/jobs/{id}"
        case 2 where rest[1] == "events": return "/v1/jobs/{id}/events"
        default: return nil
        }
    }

    private func authenticate(_ request: Request, path: String) throws(APIError) {
        guard let token = configuration.token else { return }
        if configuration.openProbes && Self.probePaths.contains(path) { return }
        guard let header = request.headers[.authorization], header.count > 7,
              header.prefix(7).lowercased() == "bearer ",
              Self.constantTimeEqual(Array(header.utf8.dropFirst(7)), Array(token.utf8))
        else { throw APIError.unauthorized }
    }

    /// Compares without an early exit, so response timing does not reveal how much of a guess matched.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for k in 0..<max(a.count, b.count) {
            difference |= (k < a.count ? a[k] : 0) ^ (k < b.count ? b[k] : 1)
        }
        return difference == 0
    }

    /// Reads the body (at most the limit), then runs the handler with the bytes at hand and a
    /// ``HangUpSignal`` that fires if the client hangs up: ``APIHandler/onWorker(_:)`` then cancels
    /// the child task running the request's work, so queued work is dropped and a running solve stops.
    private func withBody(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let limit = configuration.maxBodyBytes
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw APIError.tooLarge(limit: limit)
        }
        // Watch for a hang-up before reading the body, so no close event can slip past.
        let hangUp = HangUpSignal()
        let stopWatching = await InputClosedWatcher.watch(context.channel) { hangUp.signal() }
        defer { stopWatching() }
        let isSolve = request.uri.path == "/v1/solve" || request.uri.path == "/v1/jobs"
        // A /v1/solve (or /v1/jobs) body is read straight into one array, the only copy the request
        // holds (the model reader takes bytes; the generated code gets an empty body, which the
        // handler does not read). Other operations' generated code decodes its body, so it gets
        // the buffer.
        var buffer = ByteBuffer()
        var raw: [UInt8] = []
        do {
            if isSolve {
                if let length = request.headers[.contentLength].flatMap({ Int($0) }) { raw.reserveCapacity(max(0, length)) }
                for try await chunk in request.body {
                    guard raw.count + chunk.readableBytes <= limit else { throw APIError.tooLarge(limit: limit) }
                    raw.append(contentsOf: chunk.readableBytesView)
                }
            } else {
                buffer = try await request.body.collect(upTo: limit)
            }
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw APIError.tooLarge(limit: limit)
        } catch is NIOTooManyBytesError {
            // A chunked body (no Content-Length) that grows past the limit while it is read.
            throw APIError.tooLarge(limit: limit)
        }
        guard (isSolve ? raw.count : buffer.readableBytes) > 0 else {
            throw APIError.badRequest(field: "body", "the request body is empty; this operation needs one")
        }
        var head = request.head
        if let value = head.headerFields[.contentType], Self.mediaType(value) == nil {
            head.headerFields[.contentType] = nil  // an empty Content-Type counts as none
        }
        var isJSONModel = false
        if isSolve {
            if let type = head.headerFields[.contentType] {
                if Self.isJSON(type) {
                    // Handed over as raw bytes: without a Content-Type the generated code takes the
                    // first body type of the spec (text/plain, raw) without parsing media types.
                    head.headerFields[.contentType] = nil
                    isJSONModel = true
                }
            } else {
                // No Content-Type: a JSON object is a JSON model; MPS and LP text never start with `{`.
                isJSONModel = raw.first { $0 != 32 && $0 != 9 && $0 != 10 && $0 != 13 } == UInt8(ascii: "{")
            }
        }
        let request = Request(head: head, body: RequestBody(buffer: buffer))
        let body: RequestBytes.Body = isSolve ? .bytes(raw) : .buffer(buffer)
        raw = []  // the task-local holds the one copy from here on
        return try await RequestBytes.$current.withValue(body) {
            try await RequestBytes.$isJSONModel.withValue(isJSONModel) {
                try await RequestConnection.$hangUp.withValue(hangUp) {
                    try await next(request, context)
                }
            }
        }
    }

    /// Whether a `Content-Type` value is `application/json` (parameters and case ignored).
    static func isJSON(_ contentType: String) -> Bool {
        mediaType(contentType) == "application/json"
    }

    /// Maps anything a handler or the generated server throws to an answer.
    static func apiError(for error: any Error) -> APIError {
        switch error {
        case let e as APIError: return e
        case let e as WorkerPoolError: return apiError(for: e)
        case let e as DecodingError: return .from(decoding: e)
        case let e as HTTPError:
            if e.status == .contentTooLarge { return .tooLarge(limit: 0) }
            let code = switch e.status.code {
            case 404: "not_found"
            case 405: "method_not_allowed"
            case 400..<500: "bad_request"
            default: "internal"
            }
            return APIError(status: e.status, code: code, message: e.body ?? e.status.reasonPhrase)
        case let e as ServerError:
            if e.operationInput == nil, let field = offendingQueryItem(e.request.path) {
                return .badRequest(field: field, "invalid value (see the allowed values in /openapi.yaml)")
            }
            if e.underlyingError is APIError || e.underlyingError is WorkerPoolError || e.underlyingError is DecodingError {
                return apiError(for: e.underlyingError)
            }
            if e.operationInput == nil {
                // The request did not match the spec (missing or malformed parameter, content type, body).
                if let field = offendingQueryItem(e.request.path) {
                    return .badRequest(field: field, "invalid value (see the allowed values in /openapi.yaml)")
                }
                let detail = describe(e.underlyingError)
                return .badRequest(field: nil, detail == e.causeDescription ? detail : "\(e.causeDescription): \(detail)")
            }
            return .internalError("\(e.operationID): \(e.causeDescription)")
        case is CancellationError:
            return APIError(status: .init(code: 499, reasonPhrase: "Client Closed Request"), code: "cancelled", message: "the client went away")
        default:
            // The details go to the log (with the request id), not to the client.
            return .internalError("internal error; the server log has the details under this request's X-Request-Id")
        }
    }

    static func apiError(for error: WorkerPoolError, retryAfter: Int = 1) -> APIError {
        switch error {
        case .overloaded: return .overloaded(retryAfter: retryAfter)
        case .shuttingDown: return .shuttingDown(retryAfter: retryAfter)
        case .abandoned: return .abandoned(retryAfter: retryAfter)
        case .cancelled: return APIError(status: .init(code: 499, reasonPhrase: "Client Closed Request"), code: "cancelled", message: "the client went away")
        }
    }

    /// The first query parameter whose value the spec does not allow: the generated parser's
    /// errors do not name it.
    static func offendingQueryItem(_ path: String?) -> String? {
        guard let path, let query = path.split(separator: "?", maxSplits: 1).dropFirst().first else { return nil }
        let methods: Set<String> = ["auto", "simplex", "dual", "interior", "mip", "heuristic"]
        let formats: Set<String> = ["mps", "fixed-mps", "lp", "auto", "nvidia-smi-csv", "dmon", "dcgm"]
        for item in query.split(separator: "&") {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            let value = parts.count > 1 ? String(parts[1]).removingPercentEncoding ?? "" : ""
            switch name {
            case "time_limit", "mip_gap", "absolute_gap": if Double(value) == nil { return name }
            case "node_limit", "solution_limit": if Int(value) == nil { return name }
            case "method": if !methods.contains(value) { return name }
            case "format": if !formats.contains(value) { return name }
            default: continue
            }
        }
        return nil
    }

    private static func describe(_ error: any Error) -> String {
        if let e = error as? DecodingError { return APIError.from(decoding: e).message }
        return String(describing: error)
    }

    static func response(for error: APIError) -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let retry = error.retryAfter { headers[.retryAfter] = String(retry) }
        let body = ByteBuffer(string: error.json.serialized + "\n")
        return Response(status: error.status, headers: headers, body: .init(byteBuffer: body))
    }
}

import GPUPoolSupport
import Foundation
import HTTPTypes

/// An error answer of the service: `{"error": {"code", "message", "details": [{"field", "message"}]}}`.
///
/// Handlers throw it; ``ErrorMiddleware`` turns it (and parsing errors of the generated server)
/// into the HTTP response.
public struct APIError: Error, Sendable, CustomStringConvertible {
    /// One problem, with the field it concerns where known (JSON path, query parameter, FILE:LINE).
    public struct Detail: Sendable, Hashable {
        /// The offending field, or `nil` when the problem is not about one field.
        public var field: String?
        /// What is wrong.
        public var message: String
        /// Creates a detail.
        public init(field: String?, message: String) {
            self.field = field
            self.message = message
        }
    }

    /// HTTP status of the answer.
    public var status: HTTPResponse.Status
    /// Stable machine-readable code, e.g. `bad_request`.
    public var code: String
    /// One-line summary.
    public var message: String
    /// Every problem found.
    public var details: [Detail]
    /// Seconds for a `Retry-After` header (429).
    public var retryAfter: Int?
    /// What the server log says beside the answer (e.g. the decoding error behind a 500); never sent.
    var logDetail: String?

    /// Creates an error answer.
    public init(status: HTTPResponse.Status, code: String, message: String, details: [Detail] = [], retryAfter: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.retryAfter = retryAfter
    }

    /// 400 about one field.
    public static func badRequest(field: String?, _ message: String) -> APIError {
        let summary = field.map { "\($0): \(message)" } ?? message
        return APIError(status: .badRequest, code: "bad_request", message: summary, details: [Detail(field: field, message: message)])
    }

    /// 400 listing several problems.
    public static func badRequest(_ message: String, details: [Detail]) -> APIError {
        APIError(status: .badRequest, code: "bad_request", message: message, details: details)
    }

    static let unauthorized = APIError(status: .unauthorized, code: "unauthorized", message: "missing or wrong bearer token")

    static func tooLarge(limit: Int) -> APIError {
        APIError(status: .contentTooLarge, code: "payload_too_large", message: "request body exceeds \(limit) bytes",
                 details: [Detail(field: "body", message: "larger than the server's limit of \(limit) bytes")])
    }

    static func overloaded(retryAfter: Int) -> APIError {
        APIError(status: .tooManyRequests, code: "overloaded", message: "all workers are busy and the queue is full; retry later", retryAfter: retryAfter)
    }

    static func shuttingDown(retryAfter: Int) -> APIError {
        APIError(status: .serviceUnavailable, code: "unavailable", message: "the server is shutting down; retry on another replica or later", retryAfter: retryAfter)
    }

    static func abandoned(retryAfter: Int) -> APIError {
        APIError(status: .serviceUnavailable, code: "unavailable",
                 message: "the server is shutting down and the solve did not stop within \(Int(ServiceConfiguration.interruptWait)) s of its interrupt",
                 retryAfter: retryAfter)
    }

    static func internalError(_ message: String) -> APIError {
        APIError(status: .internalServerError, code: "internal", message: message)
    }

    /// `STATUS code: message`, and the log detail when there is one.
    public var description: String { "\(status.code) \(code): \(message)\(logDetail.map { " (\($0))" } ?? "")" }

    /// The JSON body.
    public var json: JSONText {
        .object([
            ("error", .object([
                ("code", .string(code)),
                ("message", .string(message)),
                ("details", .array(details.map { d in
                    var pairs: [(String, JSONText)] = []
                    if let field = d.field { pairs.append(("field", .string(field))) }
                    pairs.append(("message", .string(d.message)))
                    return .object(pairs)
                })),
            ])),
        ])
    }
}

extension APIError {
    /// Maps a decoding failure to a 400 naming the JSON path of the offending member.
    static func from(decoding error: DecodingError) -> APIError {
        func path(_ context: DecodingError.Context, key: (any CodingKey)? = nil) -> String? {
            var parts = context.codingPath
            if let key { parts.append(key) }
            guard !parts.isEmpty else { return nil }
            var text = ""
            for part in parts {
                if let index = part.intValue { text += "[\(index)]" } else { text += text.isEmpty ? part.stringValue : ".\(part.stringValue)" }
            }
            return text
        }
        switch error {
        case let .keyNotFound(key, context):
            return .badRequest(field: path(context, key: key), "required member is missing")
        case let .typeMismatch(type, context):
            return .badRequest(field: path(context), "expected \(type): \(context.debugDescription)")
        case let .valueNotFound(type, context):
            return .badRequest(field: path(context), "expected \(type), found null")
        case let .dataCorrupted(context):
            let underlying = (context.underlyingError as? NSError)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return .badRequest(field: path(context) ?? "body", "malformed JSON: \(underlying ?? context.debugDescription)")
        @unknown default:
            return .badRequest(field: "body", "malformed JSON")
        }
    }
}

import Foundation
import GPUPoolHeuristics
import GPUPoolValidation
import OpenAPIRuntime

extension APIHandler {
    /// Most problems one `/v1/validate` request may carry (each runs the heuristic once).
    static let maxValidationProblems = 1000

    func validate(_ input: Operations.validate.Input) async throws -> Operations.validate.Output {
        guard case let .json(body) = input.body else { throw APIError.badRequest(field: "body", "expected application/json") }
        try NullMembers.refuse(members: ["known", "sense", "heuristic", "time_limit", "exact", "exact_time_limit", "seed"],
                               entriesOf: "known", entryMembers: ["bound", "best_known", "sense", "m", "n"])
        // The spec's enum is the heuristic's cases (a test keeps them equal).
        let heuristicName = body.heuristic?.rawValue ?? AssignmentHeuristic.Method.tabu.rawValue
        guard let method = AssignmentHeuristic.Method(rawValue: heuristicName) else {
            throw APIError.badRequest(field: "heuristic", "\(heuristicName): unknown (known: \(AssignmentHeuristic.Method.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let limit = try timeLimit(body.time_limit ?? min(1, configuration.maxTimeLimit), field: "time_limit")
        if let seed = body.seed, seed < 0 { throw APIError.badRequest(field: "seed", "\(seed) must be non-negative") }
        let sense: AssignmentSense? = body.sense.map { $0 == .max ? .maximize : .minimize }
        var run = ValidationRun(heuristic: AssignmentHeuristic(method: method, timeLimit: limit, seed: UInt64(body.seed ?? 1)),
                                exact: body.exact ?? false,
                                exactTimeLimit: try timeLimit(body.exact_time_limit, field: "exact_time_limit"), sense: sense)
        if let known = body.known {
            do {
                run.known = KnownOptima(entries: try JSONDecoder().decode([String: KnownOptimum].self, from: try Self.jsonObject(known)))
            } catch let error as DecodingError {
                var apiError = APIError.from(decoding: error)
                apiError.details = apiError.details.map { .init(field: "known" + ($0.field.map { "." + $0 } ?? ""), message: $0.message) }
                throw apiError
            }
        }
        var problemCount = 0
        var names = Set<String>()
        for (k, file) in body.files.enumerated() {
            guard Self.isPlainFileName(file.name) else {
                throw APIError.badRequest(field: "files[\(k)].name", "\(file.name): must be a plain file name (letters, digits, '.', '-', '_')")
            }
            guard names.insert(file.name).inserted else { throw APIError.badRequest(field: "files[\(k)].name", "\(file.name): given twice") }
            do {
                problemCount += try GAPLibrary.parse(text: file.text, fileName: file.name, sense: sense).count
            } catch {
                throw APIError.badRequest(field: "files[\(k)].text", error.description)
            }
            guard problemCount <= Self.maxValidationProblems else {
                throw APIError.badRequest(field: "files", "more than \(Self.maxValidationProblems) problems in one request")
            }
        }
        let files = body.files.map { (name: $0.name, text: $0.text) }
        let runner = run
        let outcome = try await onWorker { _ -> Result<([ValidationRecord], [String]), APIError> in
            Result { () throws(APIError) -> ([ValidationRecord], [String]) in try Self.runValidation(runner, files: files) }
        }
        let (records, errors) = try outcome.get()
        let typed = try records.map { record throws(APIError) in
            try Self.typed(Components.Schemas.ValidationRecord.self, from: record, what: "validation record")
        }
        return .ok(.init(body: .json(.init(records: typed, errors: errors))))
    }

    static func isPlainFileName(_ name: String) -> Bool {
        (1...255).contains(name.utf8.count) && name != "." && name != ".."
            && name.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "." || $0 == "-" || $0 == "_" }
    }

    /// Runs the validation on a worker. `ValidationRun` reads problems from files (it has no
    /// public way to take parsed ones), so the texts go to a private temporary directory first.
    static func runValidation(_ run: ValidationRun, files: [(name: String, text: String)]) throws(APIError) -> ([ValidationRecord], [String]) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gpupool-validate-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        } catch {
            throw APIError.internalError("cannot create a temporary directory: \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(at: directory) }
        var paths: [String] = []
        for file in files {
            let url = directory.appendingPathComponent(file.name)
            do { try Data(file.text.utf8).write(to: url) } catch {
                throw APIError.internalError("cannot write a temporary file: \(error.localizedDescription)")
            }
            paths.append(url.path)
        }
        let (problems, loadErrors) = run.loadProblems(files: paths)
        var errors = loadErrors.map { Self.withoutDirectory(String(describing: $0), directory: directory.path) }
        var records: [ValidationRecord] = []
        for item in problems {
            do {
                var record = try run.validate(item)
                record.instance = KnownOptima.key(file: item.file, problem: item.index)
                records.append(record)
            } catch {
                errors.append(Self.withoutDirectory(String(describing: error), directory: directory.path))
            }
        }
        return (records, errors)
    }

    private static func withoutDirectory(_ text: String, directory: String) -> String {
        text.replacingOccurrences(of: directory + "/", with: "")
    }
}

import GPUPoolModel

/// Reading and writing model files in any ``ModelFormat``: the single entry point for tools.
///
/// ```swift
/// let read = try ModelFile.read(path: "afiro.mps")             // format from the extension
/// for warning in read.warnings { print("warning: \(warning)") } // never drop them
/// let program = try read.model.lowered()
/// try ModelFile.write(program, to: "afiro.lp")                  // written atomically
/// ```
public enum ModelFile {
    /// Reads the model at `path` together with the reader's warnings (sets, sections or text
    /// that were ignored, conventions where readers differ). Pass the warnings on to the user.
    /// - Parameter format: the format; `nil` takes it from the extension (a `.mps` file is checked
    ///   for fixed columns, see ``MPSDialect/detect(_:)``) or, failing that, from the contents.
    /// - Throws: ``FormatError`` naming the file and, where it applies, the line.
    public static func read(path: String, format: ModelFormat? = nil) throws(FormatError) -> ReadResult {
        let bytes = try FileBytes.read(path)
        let chosen: ModelFormat
        var detected = false
        if let format {
            chosen = format
        } else if let byExtension = ModelFormat(path: path) {
            chosen = byExtension == .mps && MPSDialect.detect(bytes) == .fixed ? .fixedMPS : byExtension
            detected = chosen == .fixedMPS
        } else if let byContents = ModelFormat.detect(bytes) {
            chosen = byContents
            detected = chosen == .fixedMPS
        } else {
            throw FormatError(file: path, reason: "cannot tell the model format; name the file .mps, .lp or .json, or pass a format")
        }
        var result = try decode(bytes, format: chosen, file: path)
        if detected, let free = try? decode(bytes, format: .mps, file: path),
           !sameModel(free.model, result.model) {
            // Both dialects read the file, into different models: say which one was taken.
            result.warnings.insert(FormatWarning(
                file: path,
                message: "read as fixed MPS (names or fields at fixed columns); it also reads as free MPS into a different model: pass the format mps to read it that way"
            ), at: 0)
        }
        return result
    }

    /// Reads the model at `path` together with the reader's warnings.
    @available(*, deprecated, renamed: "read(path:format:)")
    public static func load(path: String, format: ModelFormat? = nil) throws(FormatError) -> ReadResult {
        try read(path: path, format: format)
    }

    /// Whether two models lower to the same program (both invalid counts as different).
    private static func sameModel(_ a: Model, _ b: Model) -> Bool {
        guard let x = try? a.lowered(), let y = try? b.lowered() else { return false }
        return x == y
    }

    /// Reads a model from bytes in `format`; `file` names the data in errors.
    public static func decode(_ bytes: [UInt8], format: ModelFormat, file: String = "<input>") throws(FormatError) -> ReadResult {
        switch format {
        case .mps: try MPSReader(dialect: .free).read(bytes, file: file)
        case .fixedMPS: try MPSReader(dialect: .fixed).read(bytes, file: file)
        case .lp: try LPReader().read(bytes, file: file)
        case .json: try JSONModelReader().read(bytes, file: file)
        }
    }

    /// The bytes of `program` in `format` (LP in the standard dialect).
    public static func encode(_ program: LinearProgram, format: ModelFormat, file: String = "<output>") throws(FormatError) -> EncodedModel {
        switch format {
        case .mps: try MPSWriter(dialect: .free).encode(program, file: file)
        case .fixedMPS: try MPSWriter(dialect: .fixed).encode(program, file: file)
        case .lp: try LPWriter().encode(program, file: file)
        case .json: try JSONModelWriter().encode(program, file: file)
        }
    }

    /// Writes `program` to `path` atomically (a temporary file renamed into place, so nothing is
    /// ever half-written).
    /// - Parameter format: the format; `nil` takes it from the extension.
    /// - Returns: the writer's warnings (replaced names, shortened numbers).
    @discardableResult
    public static func write(_ program: LinearProgram, to path: String, format: ModelFormat? = nil) throws(FormatError) -> [FormatWarning] {
        guard let chosen = format ?? ModelFormat(path: path) else {
            throw FormatError(file: path, reason: "cannot tell the format from the extension; use .mps, .lp or .json, or pass a format")
        }
        let encoded = try encode(program, format: chosen, file: path)
        try FileBytes.writeAtomically(encoded.bytes, to: path)
        return encoded.warnings
    }

    /// Lowers `model` (validating it) and writes it to `path` atomically.
    /// - Throws: ``FormatError``; an invalid model is reported with every problem found.
    @discardableResult
    public static func write(_ model: Model, to path: String, format: ModelFormat? = nil) throws(FormatError) -> [FormatWarning] {
        let program: LinearProgram
        do {
            program = try model.lowered()
        } catch {
            throw FormatError(file: path, reason: "cannot write: \(error)")
        }
        return try write(program, to: path, format: format)
    }
}

import GPUPoolModel

/// What a reader produced: the model and any warnings about how the file was interpreted.
public struct ReadResult: Sendable {
    /// The model read from the file. Call ``GPUPoolModel/Model/lowered()`` to validate it.
    public var model: Model
    /// What the reader ignored (a second RHS/RANGES/BOUNDS set, text after the end marker, …)
    /// or settled by a convention other readers do not share, each with the first line it
    /// concerns. Show them to the user: the readers never guess silently, and these are how.
    public var warnings: [FormatWarning]

    /// Bundles a model with its warnings.
    public init(model: Model, warnings: [FormatWarning] = []) {
        self.model = model
        self.warnings = warnings
    }
}

/// What a writer produced: the file's bytes and any warnings (names that had to be replaced,
/// numbers that had to be shortened).
public struct EncodedModel: Sendable {
    /// The file contents (UTF-8 text).
    public var bytes: [UInt8]
    /// Everything the writer changed to fit the format.
    public var warnings: [FormatWarning]

    /// Bundles bytes with warnings.
    public init(bytes: [UInt8], warnings: [FormatWarning] = []) {
        self.bytes = bytes
        self.warnings = warnings
    }

    /// The contents as a string.
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}

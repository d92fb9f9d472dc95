/// The domain of a decision variable.
public enum VariableKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Any real value within the bounds.
    case continuous
    /// Any integer value within the bounds.
    case integer
    /// 0 or 1. Bounds are intersected with `[0, 1]` when the model is lowered.
    case binary

    /// Whether a solver must keep the value integral.
    public var isIntegral: Bool { self != .continuous }
}

/// A handle to a decision variable of one ``Model``.
///
/// Handles are cheap values. They remember which model created them, so that using a
/// variable of one model in another is reported by ``Model/lowered()`` instead of silently
/// referring to the wrong column.
public struct Variable: Hashable, Sendable, CustomStringConvertible {
    /// Identity of the model that created the variable.
    public let modelID: UInt64
    /// Zero-based column index of the variable in its model (and in the lowered ``LinearProgram``).
    public let index: Int

    @usableFromInline
    init(modelID: UInt64, index: Int) {
        self.modelID = modelID
        self.index = index
    }

    public var description: String { "x[\(index)]" }
}

/// A contiguous block of variables created by one bulk call such as
/// ``Model/addVariables(count:lower:upper:kind:namePrefix:)``.
public struct VariableBlock: RandomAccessCollection, Sendable, Hashable {
    /// Identity of the model that created the block.
    public let modelID: UInt64
    /// Column indices of the block.
    public let indices: Range<Int>

    public var startIndex: Int { 0 }
    public var endIndex: Int { indices.count }
    public subscript(position: Int) -> Variable {
        precondition(position >= 0 && position < indices.count, "variable \(position) outside a block of \(indices.count)")
        return Variable(modelID: modelID, index: indices.lowerBound + position)
    }
}

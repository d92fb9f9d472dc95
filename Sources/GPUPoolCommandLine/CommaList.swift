import ArgumentParser

/// The value of a list option: one or more comma-separated values, e.g. `--policy a,b`.
///
/// List options are declared as arrays of `CommaList`, so that repeating the option and
/// separating values with commas can be mixed freely — `--policy a --policy b,c` lists `a, b, c`:
///
/// ```swift
/// @Option(help: CommaList<PlanningPolicy>.help("Policies in priority order."), transform: CommaList.parse)
/// var policy: [CommaList<PlanningPolicy>] = []
/// var policies: [PlanningPolicy] { policy.flattened() }
/// ```
///
/// The `transform` makes a bad value name itself (`unknown cheapest (known: …)`); ``help(_:default:repeating:)``
/// puts the valid values and the default into the help, as argument-parser does for plain enums.
public struct CommaList<Element: ExpressibleByArgument>: ExpressibleByArgument {
    /// The values, in the order given.
    public var elements: [Element]

    /// A list of the given values (for defaults).
    public init(_ elements: [Element]) { self.elements = elements }

    /// Parses `a,b,c`; `nil` when any value is empty or invalid.
    public init?(argument: String) {
        guard let list = try? Self.parse(argument) else { return nil }
        self = list
    }

    /// Parses `a,b,c` (white space around each value ignored).
    /// - Throws: ``CommaListError`` naming the first empty or invalid value.
    public static func parse(_ argument: String) throws -> CommaList {
        var elements: [Element] = []
        for part in argument.split(separator: ",", omittingEmptySubsequences: false) {
            let text = part.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { throw CommaListError("empty value in '\(argument)'") }
            guard let element = Element(argument: text) else {
                let known = Element.allValueStrings
                throw CommaListError(known.isEmpty ? "cannot read \(text)" : "unknown \(text) (known: \(known.joined(separator: ", ")))")
            }
            elements.append(element)
        }
        return CommaList(elements)
    }

    /// The values joined by commas, as they would be typed.
    public var defaultValueDescription: String {
        elements.map { element in
            if let value = element as? any RawRepresentable { return "\(value.rawValue)" }
            return element.defaultValueDescription
        }.joined(separator: ",")
    }

    public static var allValueStrings: [String] { Element.allValueStrings }
    public static var defaultCompletionKind: CompletionKind { Element.defaultCompletionKind }

    /// Help for a list option: `abstract`, how to give several values, then the valid values and
    /// the default in argument-parser's `(values: …; default: …)` form.
    /// - Parameters:
    ///   - defaultText: the default as the user would type it, or what applies without the option.
    ///   - repeating: how several values are given (options parsed `.upToNextOption` say more).
    public static func help(
        _ abstract: String, default defaultText: String? = nil,
        repeating: String = "Repeat the option or separate values with commas."
    ) -> ArgumentHelp {
        var tail: [String] = []
        if !allValueStrings.isEmpty { tail.append("values: \(allValueStrings.joined(separator: ", "))") }
        if let defaultText { tail.append("default: \(defaultText)") }
        let suffix = tail.isEmpty ? "" : " (\(tail.joined(separator: "; ")))"
        return ArgumentHelp("\(abstract) \(repeating)\(suffix)")
    }

    /// Help for a list option whose default is `defaultValues`.
    public static func help(
        _ abstract: String, default defaultValues: [Element],
        repeating: String = "Repeat the option or separate values with commas."
    ) -> ArgumentHelp {
        help(abstract, default: CommaList(defaultValues).defaultValueDescription, repeating: repeating)
    }
}

extension CommaList: Sendable where Element: Sendable {}

extension Array {
    /// The values of a list option, repeated options and comma-separated values in order.
    public func flattened<Value>() -> [Value] where Element == CommaList<Value> {
        flatMap(\.elements)
    }
}

/// A value of a list option that cannot be read.
public struct CommaListError: Error, CustomStringConvertible {
    /// What is wrong, naming the value.
    public let description: String
    init(_ description: String) { self.description = description }
}

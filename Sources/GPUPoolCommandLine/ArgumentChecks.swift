import ArgumentParser

/// Checks shared by the commands' `validate()` methods; each failure is a `ValidationError`
/// naming the option and the value, e.g. `--time-limit -1: must be a positive number of seconds`.
public enum ArgumentCheck {
    /// Throws unless `value` is a positive, finite number of seconds.
    public static func positiveSeconds(_ value: Double, option: String) throws(ValidationError) {
        guard value > 0, value.isFinite else {
            throw ValidationError("\(option) \(text(value)): must be a positive number of seconds")
        }
    }

    /// A number as the user would have typed it: `-1`, `0.5`, `nan`, `inf`.
    public static func text(_ value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}

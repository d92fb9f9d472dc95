import GPUPoolModel

/// Reads CPLEX LP files into a ``GPUPoolModel/Model``.
///
/// Accepted (keywords in any case, at the start of a line):
/// - `Minimize`/`Maximize` (also `Minimise`, `Minimum`, `Min`, …) and an objective with an
///   optional `name:` label; constant terms are the objective constant.
/// - `Subject To` (`such that`, `st`, `s.t.`) with constraints `[name:] expression rel number`,
///   where rel is `<=`, `=<`, `<`, `>=`, `=>`, `>` or `=`; constants may appear among the terms;
///   ranged constraints `[name:] lo <= expression <= hi` (or with `>=` twice); `inf`/`infinity`
///   on the right-hand side.
/// - `Bounds` with `x <= u`, `x >= l`, `x = v`, `l <= x <= u`, `u >= x >= l`, `x free`,
///   `-inf`/`+inf`/`infinity`; a later bound of a variable overrides an earlier one (as in
///   CPLEX and glpsol), with a warning. A negative upper bound does *not* move the default lower
///   bound 0: such a variable is reported as having crossed bounds, with the line.
/// - `Generals` (`General`, `Gen`, `Integer`, `Integers`) and `Binaries` (`Binary`, `Bin`):
///   binaries get bounds intersected with `[0, 1]`.
/// - `End`, required (a file without it is taken as truncated); text after it is ignored with a
///   warning. A file that is just `End` (what `glpsol --wlp` writes for an empty problem) is an
///   empty model.
/// - Empty semi-continuous (`semi`, `semis`, `semi-continuous`) and `SOS` sections (HiGHS writes
///   an empty `semi` section in every MIP file); non-empty ones are rejected at their first entry.
/// - `\` comments. The comments `glpsol --wlp` writes are read as data: `\* Problem: NAME *\`
///   before the first token gives the model name, `\* constant term = C *\` inside the
///   objective section adds `C` to the objective constant.
///
/// Variables are numbered in order of first appearance. Names may use any characters except
/// blanks and `+ - < > = : [ ] ^ * \`, and may not start with a digit or `.`; a number written
/// right before a name (`3x`) is its coefficient. Rejected with file and line: quadratic terms,
/// semi-continuous variables and SOS, a second objective, duplicate constraint names, crossed
/// bounds, fractional bounds on integer variables, junk after a right-hand side, a missing `End`.
public struct LPReader: ModelReader {
    /// A reader.
    public init() {}

    /// Reads LP text given as bytes; `file` names it in errors.
    public func read(_ bytes: [UInt8], file: String = "<input>") throws(FormatError) -> ReadResult {
        try withBytes(bytes) { buffer throws(FormatError) in
            var parser = LPParser(buffer: buffer, file: file)
            return try parser.parse()
        }
    }
}

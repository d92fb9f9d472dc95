import Foundation
import GPUPoolModel

/// Reads free and fixed MPS files into a ``GPUPoolModel/Model``.
///
/// Sections: `NAME`, `OBJSENSE` (`OBJSENSE MAX` on one line or `MAX` on the next; `MAX`,
/// `MAXIMIZE`, `MIN`, `MINIMIZE`), `ROWS`, `COLUMNS` (with `'MARKER'` `'INTORG'`/`'INTEND'`
/// blocks), `RHS`, `RANGES`, `BOUNDS`, `ENDATA`; everything after `ENDATA` is ignored.
/// The conventions, chosen to match HiGHS (whose optima the project's reference data come from):
///
/// - **Objective**: the first `N` row; further `N` rows are free rows and are dropped with a
///   warning, together with their entries.
/// - **Objective constant**: an `RHS` entry on the objective row `v` gives the constant `-v`
///   (glpsol: `+v`; warned).
/// - **Integer markers**: a column between `INTORG` and `INTEND` is integer with bounds
///   `[0, 1]` unless the `BOUNDS` section mentions it; any bound entry for it cancels that default
///   (so `LO x 2` alone gives `[2, +inf)`, warned). GLPK 5.0 keeps the upper bound 1 in that case.
///   An `INTORG` block left open ends with the `COLUMNS` section (warning).
/// - **Negative `UP`** (or `UI`) on a column whose lower bound was not set: the lower bound
///   becomes `-inf` (CPLEX/HiGHS convention), with a warning.
/// - **`RANGES`** `R` on row with right-hand side `rhs`: `E` row `[rhs+R, rhs]` if `R < 0`,
///   `[rhs, rhs+R]` if `R > 0`; `L` row `[rhs-|R|, rhs]`; `G` row `[rhs, rhs+|R|]`.
/// - **Bounds**: `UP LO FX FR MI PL BV LI UI`; `SC`/`SI` (semi-continuous) are rejected. A
///   free-MPS line `FR x 5` that reads both as set `x` + column `5` and as column `x` + value 5
///   is an error.
/// - **Comments**: lines with `*` in column 1. A field starting with `$` after the fields a line
///   needs begins a trailing comment (in fixed MPS: field 3 or 5 starting with `$`, in every
///   section, as GLPK reads it). Any other extra field is an error, so `G R1 *comment` is
///   rejected. Fixed MPS: columns 62-72 must be blank; text from column 73 on (the card
///   sequence field) is ignored with a warning.
/// - **Continuation lines**: a blank column name in fixed `COLUMNS` continues the previous
///   column; a blank (fixed) or left-out (free) set name continues the set of the line before.
/// - **Sets**: only the first `RHS`, `RANGES` and `BOUNDS` set is used; lines of other sets are
///   checked (rows, columns, numbers) but not applied, with one warning per ignored set naming
///   it and its first line.
/// - **Headers**: a section keyword alone on a line, or at column 1 (`NAME x`, `OBJSENSE MAX`).
///   A keyword followed by fields is data, so columns may be named `RHS` or `OBJSENSE` (with a
///   warning: that is also how a lost header reads). Bound lines read as `COLUMNS`/`RHS`/`RANGES`
///   data are an error that asks whether the `BOUNDS` header is missing.
/// - **After `ENDATA`**: text is ignored with a warning; a section such as `QUADOBJ` there
///   (COIN-OR's layout for QPs) is an error.
///
/// Rejected with the file, line and field named: unknown rows/columns, a column whose entries are
/// not contiguous, two entries of one column in one row, two values for one row's right-hand
/// side or range, the same bound set twice, crossed or fractional-integer bounds, `nan`/`inf`
/// or other non-numbers in numeric fields, control characters, a missing `ENDATA`.
/// Numbers may use `D` as the exponent letter (`1.5D+03`). Every convention above where other
/// readers differ (objective constant sign, negative `UP`, `INTORG` with only a lower bound,
/// extra `N` rows) comes with a warning in ``ReadResult/warnings``.
public struct MPSReader: ModelReader {
    /// The layout to read.
    public var dialect: MPSDialect

    /// A reader for `dialect` (free MPS by default).
    public init(dialect: MPSDialect = .free) {
        self.dialect = dialect
    }

    /// Reads MPS text given as bytes; `file` names it in errors.
    public func read(_ bytes: [UInt8], file: String = "<input>") throws(FormatError) -> ReadResult {
        try withBytes(bytes) { buffer throws(FormatError) in
            var parser = MPSParser(buffer: buffer, file: file, dialect: dialect)
            return try parser.parse()
        }
    }
}

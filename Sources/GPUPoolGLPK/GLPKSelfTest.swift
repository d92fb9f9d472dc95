#if GLPK
import CGLPK

/// Checks that GLPK misuse comes back as an error instead of `abort()`.
enum GLPKSelfTest {
    /// The misuse to commit inside the shim.
    enum Misuse: Int32 {
        /// `glp_set_row_name` with a row index out of range.
        case rowIndexOutOfRange = 0
        /// `glp_set_mat_row` with the same column twice.
        case duplicateIndex = 1
    }

    /// Commits `misuse` inside the C shim; returns the shim's error code and GLPK's message.
    static func provoke(_ misuse: Misuse) -> (code: Int32, message: String, log: String) {
        var result = cglpk_result()
        let code = cglpk_provoke_error(misuse.rawValue, &result)
        let message = withUnsafeBytes(of: result.message) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
        let log = result.log.map { String(cString: $0) } ?? ""
        cglpk_free(result.log)
        return (code, message, log)
    }

    /// The shim's code for a caught GLPK error.
    static var glpkErrorCode: Int32 { Int32(CGLPK_ERROR_GLPK) }
}
#endif

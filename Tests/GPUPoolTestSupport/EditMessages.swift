/// Whether an error message names the edit at `position` (counting from 1, as `ProgramEdit`'s
/// errors do) as "edit N", with N not followed by another digit ("edit 1" is not "edit 12").
public func messageNamesEdit(_ text: String, _ position: Int) -> Bool {
    var rest = Substring(text)
    let needle = "edit \(position)"
    while let range = rest.range(of: needle) {
        let after = rest[range.upperBound...]
        if after.first.map({ !$0.isNumber }) ?? true { return true }
        rest = after
    }
    return false
}

/// One CSV record with the 1-based line it starts on.
public struct CSVRecord: Sendable, Hashable {
    /// Line of the record's first character.
    public var line: Int
    /// Field texts with quotes removed and `""` unescaped.
    public var fields: [String]
}

/// An RFC 4180 CSV reader: quoted fields may hold commas, quotes (`""`) and line breaks; records end with
/// LF, CRLF or CR. A quote inside an unquoted field is kept literally.
public enum CSVParser {
    /// A CSV syntax error (only an unterminated quoted field is fatal).
    public struct SyntaxError: Error, Sendable, Hashable {
        /// Line where the unterminated field starts.
        public var line: Int
        /// What is wrong.
        public var message: String
    }

    /// Parses `text` into records. Blank lines are skipped.
    public static func parse(_ text: String) throws(SyntaxError) -> [CSVRecord] {
        var records: [CSVRecord] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var quoteLine = 1
        var fieldWasQuoted = false
        var recordHasContent = false
        let bytes = Array(text.utf8)
        var index = 0

        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        func endRecord() {
            endField()
            if recordHasContent || fields.count > 1 || fields.first?.isEmpty == false {
                records.append(CSVRecord(line: recordLine, fields: fields))
            }
            fields.removeAll(keepingCapacity: true)
            recordHasContent = false
        }

        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 2
                        continue
                    }
                    inQuotes = false
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                }
                index += 1
                continue
            }
            switch byte {
            case UInt8(ascii: ","):
                endField()
                recordHasContent = true
            case UInt8(ascii: "\""):
                if field.isEmpty && !fieldWasQuoted {
                    inQuotes = true
                    fieldWasQuoted = true
                    quoteLine = line
                    recordHasContent = true
                } else {
                    field.append(byte)
                }
            case UInt8(ascii: "\r"), UInt8(ascii: "\n"):
                if byte == UInt8(ascii: "\r"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\n") { index += 1 }
                endRecord()
                line += 1
                recordLine = line
            default:
                field.append(byte)
                recordHasContent = true
            }
            index += 1
        }
        if inQuotes { throw SyntaxError(line: quoteLine, message: "quoted field is never closed") }
        if recordHasContent || !field.isEmpty || !fields.isEmpty { endRecord() }
        return records
    }
}

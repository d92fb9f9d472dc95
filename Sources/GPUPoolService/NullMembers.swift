import Foundation
import NIOCore

/// `null` for an optional member of a request object is refused (400), as `openapi.yaml` says.
///
/// The generated decoders read an optional member given as `null` as if it were absent, so without
/// this check the server would take bodies its spec does not allow (schemathesis found it). The
/// check looks at the body again only when the bytes `null` occur in it at all.
enum NullMembers {
    /// Throws a 400 naming the first of `members` that the request body's top-level object gives as
    /// `null`, or, for `entriesOf`, a member of one of that object's entries (`known.gap1-1.bound`).
    static func refuse(members: Set<String>, entriesOf parent: String? = nil, entryMembers: Set<String> = []) throws(APIError) {
        let data: Data
        switch RequestBytes.current {
        case .buffer(let buffer)?:
            guard containsNull(buffer.readableBytesView) else { return }
            data = Data(buffer.readableBytesView)
        case .bytes(let bytes)?:
            guard containsNull(bytes) else { return }
            data = Data(bytes)
        case nil:
            return
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return }
        for key in object.keys.sorted() where members.contains(key) && object[key] is NSNull {
            throw APIError.badRequest(field: key, "null is not a value here; leave the member out to take its default")
        }
        if let parent, let entries = object[parent] as? [String: Any] {
            for name in entries.keys.sorted() {
                guard let entry = entries[name] as? [String: Any] else { continue }
                for key in entry.keys.sorted() where entryMembers.contains(key) && entry[key] is NSNull {
                    throw APIError.badRequest(field: "\(parent).\(name).\(key)", "null is not a value here; leave the member out")
                }
            }
        }
    }

    /// Whether the bytes `null` occur anywhere (most bodies have none, and are not parsed again).
    static func containsNull<C: Collection>(_ body: C) -> Bool where C.Element == UInt8 {
        var matched = 0
        for byte in body {
            switch (matched, byte) {
            case (0, UInt8(ascii: "n")), (1, UInt8(ascii: "u")), (2, UInt8(ascii: "l")): matched += 1
            case (3, UInt8(ascii: "l")): return true
            case (_, UInt8(ascii: "n")): matched = 1
            default: matched = 0
            }
        }
        return false
    }
}

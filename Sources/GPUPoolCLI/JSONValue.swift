import GPUPoolService

/// The CLI's ordered JSON output is the service's ``JSONText``: one encoder, so `gpupool … --json`
/// and the HTTP answers share their layout rules (integral numbers without a fraction, non-finite
/// values as `null`, keys in the documented order).
typealias JSONValue = JSONText

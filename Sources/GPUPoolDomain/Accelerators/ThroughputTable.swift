import Foundation

/// Relative training speed per accelerator model versus a reference (V100 = 1.0), used to fill in
/// throughputs a job does not state.
///
/// The shipped table (`Resources/accelerators.json`, see Docs/ThroughputEstimates.md) is an ESTIMATE built
/// from vendor dense FP16/BF16 figures and MLPerf Training results. Users override entries with
/// ``load(overrides:)`` or ``merging(relative:)``.
public struct ThroughputTable: Sendable, Hashable {
    /// The model whose relative throughput is 1.0 (`"V100"` in the shipped table).
    public var reference: String
    /// Specs keyed by canonical model name.
    public var specs: [String: AcceleratorSpec]

    /// Creates a table. Keys of `specs` are canonicalised.
    public init(reference: String = "V100", specs: [AcceleratorSpec]) {
        self.reference = AcceleratorName.canonical(reference)
        var byName: [String: AcceleratorSpec] = [:]
        for spec in specs { byName[AcceleratorName.canonical(spec.name)] = spec }
        self.specs = byName
    }

    /// Relative throughput of each model (reference = 1.0).
    public var relative: [String: Double] { specs.mapValues(\.relativeThroughput) }

    /// Relative throughput of a model (any spelling), or `nil` if the table does not know it.
    public func relativeSpeed(of accelerator: String) -> Double? {
        specs[AcceleratorName.canonical(accelerator)]?.relativeThroughput
    }

    /// Whether the table knows the model.
    public func knows(_ accelerator: String) -> Bool { specs[AcceleratorName.canonical(accelerator)] != nil }

    /// Steps/s of the whole gang of `job` on `accelerator`, using the first of the job's shapes that allows it.
    ///
    /// - A measured value in ``Job/throughput`` is returned as is.
    /// - Otherwise the measured model with the closest relative speed is scaled by the speed ratio and by
    ///   the ratio of gang GPU counts (linear scaling), e.g. 8×A100 from a 16×V100 measurement.
    /// - A job with no usable measurement gets `GPUs × relative speed` (V100-GPU-equivalents).
    /// - `nil` when no shape allows the model, or the model is neither measured nor in the table.
    public func estimate(job: Job, accelerator: String) -> Double? {
        let model = AcceleratorName.canonical(accelerator)
        guard let shape = job.shapes.first(where: { $0.allows(accelerator: model) }) else { return nil }
        return estimate(job: job, shape: shape, accelerator: model)
    }

    /// Steps/s of the whole gang when `job` runs as `shape` on `accelerator`.
    ///
    /// A measured ``Job/throughput`` value refers to the first shape allowing that model; other shapes scale
    /// it linearly by GPU count. See ``estimate(job:accelerator:)`` for the estimation rules.
    public func estimate(job: Job, shape: JobShape, accelerator: String) -> Double? {
        let model = AcceleratorName.canonical(accelerator)
        guard let targetGPUs = shape.totalGPUs, targetGPUs > 0 else { return nil }
        if let measured = job.throughput[model], measured.isFinite, measured >= 0 {
            guard let measuredGPUs = Self.gangGPUs(job: job, model: model), measuredGPUs > 0 else { return measured }
            return measured * Double(targetGPUs) / Double(measuredGPUs)
        }
        guard let targetSpeed = relativeSpeed(of: model), targetSpeed > 0 else { return nil }
        let targetLog = Foundation.log(targetSpeed)
        var best: (distance: Double, value: Double)?
        for (source, value) in job.throughput where value.isFinite && value > 0 {
            guard let sourceSpeed = relativeSpeed(of: source), sourceSpeed > 0,
                  let sourceGPUs = Self.gangGPUs(job: job, model: source), sourceGPUs > 0 else { continue }
            let distance = abs(Foundation.log(sourceSpeed) - targetLog)
            let scaled = value * (targetSpeed / sourceSpeed) * Double(targetGPUs) / Double(sourceGPUs)
            if let current = best, current.distance < distance || (current.distance == distance && current.value <= scaled) {
                continue
            }
            best = (distance, scaled)
        }
        return best?.value ?? Double(targetGPUs) * targetSpeed
    }

    /// GPUs of the first shape of `job` that allows `model`.
    private static func gangGPUs(job: Job, model: String) -> Int? {
        job.shapes.first { $0.allows(accelerator: model) }?.totalGPUs
    }

    /// A copy with these relative throughputs replacing (or adding) entries. New models get vendor
    /// inferred from the name, unknown memory (0) and basis "user override".
    public func merging(relative overrides: [String: Double]) -> ThroughputTable {
        var copy = self
        for (name, value) in overrides {
            let model = AcceleratorName.canonical(name)
            if var spec = copy.specs[model] {
                spec.relativeThroughput = value
                spec.basis = "user override"
                spec.sources = []
                copy.specs[model] = spec
            } else {
                copy.specs[model] = AcceleratorSpec(
                    name: model, vendor: AcceleratorName.inferredVendor(model), memoryGiB: 0,
                    relativeThroughput: value, basis: "user override")
            }
        }
        return copy
    }
}

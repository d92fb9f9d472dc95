import GPUPoolDomain
import GPUPoolTelemetry

/// A problem found on a GPU or node, with the state it calls for.
struct Finding: Sendable, Hashable {
    var severity: HealthState
    var reason: String
    var gpu: Int?
}

/// What the policy remembers about one GPU between samples (latches for hysteresis, counters
/// for growth, timers for sustained conditions).
struct GPUHealthTracker: Sendable {
    var temperatureLevel: HealthState = .healthy
    var powerLevel: HealthState = .healthy
    var lowUtilizationSince: Double?
    var eccCorrectedBaseline: (time: Double, value: Int)?
    var lastECCUncorrected: Int?
    var lastRemappedUncorrectable: Int?
    var lastXID: Int?
    var lastTimestamp: Double?

    /// Latched level of a thresholded reading: rises at warn/critical, falls only `hysteresis` below.
    static func level(_ value: Double, _ t: HealthRules.Threshold, current: HealthState) -> HealthState {
        if value >= t.critical { return .cordoned }
        if current == .cordoned && value > t.critical - t.hysteresis { return .cordoned }
        if value >= t.warn { return .suspect }
        if current != .healthy && value > t.warn - t.hysteresis { return .suspect }
        return .healthy
    }

    /// Updates the tracker with a sample; returns persistent findings (conditions that hold now)
    /// and one-off findings (events in this sample).
    mutating func update(_ m: GPUMetrics, gpu: Int, at time: Double, allocated: Bool, rules: HealthRules)
        -> (persistent: [Finding], events: [Finding], xid: Int?)
    {
        var persistent: [Finding] = []
        var events: [Finding] = []
        var newXID: Int?
        if let t = m.temperatureC, let rule = rules.temperature {
            temperatureLevel = Self.level(t, rule, current: temperatureLevel)
            if temperatureLevel != .healthy {
                let limit = temperatureLevel == .cordoned ? "critical \(fmt(rule.critical))" : "warn \(fmt(rule.warn))"
                persistent.append(Finding(severity: temperatureLevel, reason: "GPU \(gpu) temperature \(fmt(t)) °C (\(limit) °C, clears \(fmt(rule.hysteresis)) °C below)", gpu: gpu))
            }
        }
        if let p = m.powerW {
            var level = HealthState.healthy
            if let rule = rules.power {
                powerLevel = Self.level(p, rule, current: powerLevel)
                level = powerLevel
            }
            if rules.powerAboveLimit, let limit = m.powerLimitW, limit > 0, p > limit * 1.02, level == .healthy { level = .suspect }
            if level != .healthy {
                persistent.append(Finding(severity: level, reason: "GPU \(gpu) power \(fmt(p)) W over its threshold", gpu: gpu))
            }
        }
        if let threshold = rules.lowUtilizationPct, allocated, let u = m.utilizationPct {
            if u < threshold {
                let since = lowUtilizationSince ?? time
                lowUtilizationSince = since
                if time - since >= rules.lowUtilizationSeconds {
                    persistent.append(Finding(severity: .suspect, reason: "allocated GPU \(gpu) at \(fmt(u)) % utilisation for \(fmt(time - since)) s", gpu: gpu))
                }
            } else {
                lowUtilizationSince = nil
            }
        } else if !allocated {
            lowUtilizationSince = nil
        }
        if let c = m.eccCorrected {
            if let base = eccCorrectedBaseline, time - base.time <= rules.eccWindowSeconds, c >= base.value {
                if c - base.value >= rules.eccCorrectedGrowth {
                    events.append(Finding(severity: .suspect, reason: "GPU \(gpu) corrected ECC errors grew by \(c - base.value) within \(fmt(rules.eccWindowSeconds)) s", gpu: gpu))
                    eccCorrectedBaseline = (time, c)
                }
            } else {
                eccCorrectedBaseline = (time, c)
            }
        }
        if let u = m.eccUncorrected {
            if rules.drainOnUncorrectedECC, let last = lastECCUncorrected, u > last {
                events.append(Finding(severity: .draining, reason: "GPU \(gpu) uncorrected ECC errors grew from \(last) to \(u)", gpu: gpu))
            }
            lastECCUncorrected = u
        }
        if rules.remappedRows {
            if let r = m.remappedRowsUncorrectable {
                if let last = lastRemappedUncorrectable, r > last {
                    events.append(Finding(severity: .cordoned, reason: "GPU \(gpu) uncorrectable remapped rows grew from \(last) to \(r)", gpu: gpu))
                }
                lastRemappedUncorrectable = r
            }
            if m.remappedRowsFailure == true {
                persistent.append(Finding(severity: .draining, reason: "GPU \(gpu) row remapping failed", gpu: gpu))
            } else if m.remappedRowsPending == true {
                persistent.append(Finding(severity: .cordoned, reason: "GPU \(gpu) row remap pending (reset needed)", gpu: gpu))
            }
        }
        if let x = m.xid {
            // DCGM's XID gauge repeats the last code: a code counts once, when it appears.
            if x != 0, x != lastXID {
                newXID = x
                if rules.seriousXIDs.contains(x) {
                    events.append(Finding(severity: .draining, reason: "GPU \(gpu) XID \(x) (serious)", gpu: gpu))
                } else if !rules.jobLevelXIDs.contains(x) {
                    events.append(Finding(severity: .suspect, reason: "GPU \(gpu) XID \(x) (unclassified)", gpu: gpu))
                }
            }
            lastXID = x
        }
        lastTimestamp = max(lastTimestamp ?? time, time)
        return (persistent, events, newXID)
    }
}

/// A number without needless decimals: 85 → "85", 71.23 → "71.23".
func fmt(_ v: Double) -> String {
    if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
    return String((v * 100).rounded() / 100)
}

import Foundation

extension SkyPilotCatalog {
    /// One data row of a catalog, read by column name.
    struct Row {
        enum Outcome {
            case offer(SkyPilotOffer)
            case cpuOnly
            case malformed(Problem)
        }

        let record: CSVRecord
        let column: [String: Int]
        let header: [String]
        let fileName: String

        func field(_ name: String) -> String? {
            guard let index = column[name], index < record.fields.count else { return nil }
            let value = record.fields[index].trimmingCharacters(in: .whitespaces)
            return value.isEmpty ? nil : value
        }

        private func problem(_ message: String, column name: String? = nil) -> Outcome {
            let item = name.map { "row \(record.line) column \($0)" } ?? "row \(record.line)"
            return .malformed(Problem(file: fileName, line: record.line, item: item, message: message))
        }

        func offer(providerID: String, memory: MemoryConvention, isMarketplace: Bool, table: ThroughputTable) -> Outcome {
            guard record.fields.count <= header.count else {
                return problem("has \(record.fields.count) fields, the header has \(header.count)")
            }
            guard let rawName = field("AcceleratorName") else {
                return field("AcceleratorCount") == nil && field("GpuInfo") == nil
                    ? .cpuOnly : problem("has a GPU count or GpuInfo but no accelerator name", column: "AcceleratorName")
            }
            guard record.fields.count == header.count else {
                return problem("has \(record.fields.count) fields, the header has \(header.count)")
            }
            guard let instanceType = field("InstanceType") else { return problem("is empty", column: "InstanceType") }
            guard let countText = field("AcceleratorCount"), let countValue = Double(countText), countValue.isFinite else {
                return problem("is not a number: \"\(field("AcceleratorCount") ?? "")\"", column: "AcceleratorCount")
            }
            guard countValue >= 1, countValue <= Double(DomainLimits.maxGPUsPerNode), countValue.rounded() == countValue else {
                return problem("must be a whole number between 1 and \(DomainLimits.maxGPUsPerNode), got \(countText)",
                               column: "AcceleratorCount")
            }
            let gpuCount = Int(countValue)
            guard let priceText = field("Price"), let price = Double(priceText), price.isFinite, price >= 0 else {
                return problem("is not a price ≥ 0: \"\(field("Price") ?? "")\"", column: "Price")
            }
            var spot: Double?
            if let spotText = field("SpotPrice") {
                guard let value = Double(spotText), value.isFinite, value >= 0 else {
                    return problem("is not a price ≥ 0: \"\(spotText)\"", column: "SpotPrice")
                }
                spot = value > 0 ? value : nil
            }
            guard let regionText = field("Region") else { return problem("is empty", column: "Region") }
            let region = regionText.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }.joined(separator: ", ")

            var info: PythonLiteral?
            if let infoText = field("GpuInfo") {
                do { info = try PythonLiteral.parse(infoText) } catch {
                    return problem("cannot be read (\(error.message))", column: "GpuInfo")
                }
            }
            let firstGPU = info?["Gpus"]?.listValue?.first
            let vendorName = firstGPU?["Manufacturer"]?.stringValue
            var accelerator = AcceleratorName.canonical(rawName)
            let sizeMiB = firstGPU?["MemoryInfo"]?["SizeInMiB"]?.doubleValue ?? info?["TotalGpuMemoryInMiB"]?.doubleValue
            let tableMemory = table.specs[accelerator]?.memoryGiB
            let memoryGiB: Double
            if let sizeMiB {
                guard sizeMiB.isFinite, sizeMiB > 0 else { return problem("has a GPU memory size ≤ 0", column: "GpuInfo") }
                let asIs = sizeMiB / 1024
                let divided = asIs / Double(gpuCount)
                switch memory {
                case .perGPU: memoryGiB = asIs
                case .totalAcrossGPUs: memoryGiB = divided
                case .automatic:
                    if gpuCount > 1, let expected = tableMemory, expected > 0 {
                        memoryGiB = abs(log(divided / expected)) < abs(log(asIs / expected)) ? divided : asIs
                    } else {
                        memoryGiB = isMarketplace ? divided : asIs
                    }
                }
            } else if let expected = tableMemory, expected > 0 {
                memoryGiB = expected
            } else {
                return problem("has no GPU memory size and the model \"\(accelerator)\" is not in the throughput table",
                               column: "GpuInfo")
            }
            if accelerator == "A100", memoryGiB >= 60 { accelerator = "A100-80GB" }
            let vendor = vendorName.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
                ?? table.specs[accelerator]?.vendor ?? AcceleratorName.inferredVendor(accelerator)
            return .offer(SkyPilotOffer(
                providerID: providerID, instanceType: instanceType, accelerator: accelerator,
                catalogAcceleratorName: rawName, vendor: vendor, gpuCount: gpuCount,
                gpuMemoryGiB: (memoryGiB * 100).rounded() / 100,
                interconnect: SkyPilotCatalog.inferInterconnect(instanceType: instanceType, accelerator: accelerator, gpuCount: gpuCount),
                vCPUs: field("vCPUs").flatMap(Double.init).flatMap { $0.isFinite ? $0 : nil },
                hostMemoryGiB: field("MemoryGiB").flatMap(Double.init).flatMap { $0.isFinite ? $0 : nil },
                pricePerHour: price, spotPricePerHour: spot, region: region.isEmpty ? "unknown" : region,
                zone: field("AvailabilityZone"), line: record.line))
        }
    }
}

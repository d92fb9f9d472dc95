import Foundation
import Testing
@testable import GPUPoolDomain

@Suite("SkyPilot catalogs")
struct CatalogTests {
    @Test("the shared Lambda catalog has 306 GPU rows and 17 CPU-only rows",
          .enabled(if: SharedData.supplyAvailable, "../shared/data/supply is absent; skipping shared catalog test"))
    func lambdaCounts() throws {
        let catalog = try SkyPilotCatalog.read(path: SharedData.path("supply/lambda.csv"), providerID: "lambda")
        #expect(catalog.offers.count == 306)
        #expect(catalog.cpuOnlyRows == 17)
        #expect(catalog.warnings.isEmpty, "\(catalog.warnings)")
        // Lambda repeats every instance type in 17 regions.
        #expect(Set(catalog.offers.map(\.region)).count == 17)
        // TotalGpuMemoryInMiB equals the per-GPU size: 8x A100 is 40 GiB per GPU, not 5.
        let a100x8 = try #require(catalog.offers.first { $0.instanceType == "gpu_8x_a100" })
        #expect(a100x8.accelerator == "A100")
        #expect(a100x8.gpuMemoryGiB == 40)
        #expect(a100x8.gpuCount == 8)
        #expect(a100x8.interconnect == .nvlink)
        let a100x8_80 = try #require(catalog.offers.first { $0.instanceType == "gpu_8x_a100_80gb_sxm4" })
        #expect(a100x8_80.accelerator == "A100-80GB")
        let v100 = try #require(catalog.offers.first { $0.instanceType == "gpu_8x_v100" })
        #expect(v100.gpuMemoryGiB == 16)
        let pcie = try #require(catalog.offers.first { $0.instanceType == "gpu_1x_h100_pcie" })
        #expect(pcie.interconnect == .none)
        let a6000 = try #require(catalog.offers.first { $0.instanceType == "gpu_4x_a6000" })
        #expect(a6000.accelerator == "A6000")
        #expect(a6000.interconnect == .pcie)
        #expect(a6000.vendor == "NVIDIA")
    }

    @Test("the shared Vast catalog: 61 offers, per-GPU memory from the total",
          .enabled(if: SharedData.supplyAvailable, "../shared/data/supply is absent; skipping shared catalog test"))
    func vastCounts() throws {
        let catalog = try SkyPilotCatalog.read(path: SharedData.path("supply/vast.csv"), providerID: "vast", kind: .community)
        #expect(catalog.offers.count == 61)
        #expect(catalog.cpuOnlyRows == 0)
        #expect(catalog.warnings.isEmpty, "\(catalog.warnings)")
        // 8x H100 lists 652472 MiB in total: 79.65 GiB per GPU.
        let h100x8 = try #require(catalog.offers.first { $0.accelerator == "H100" && $0.gpuCount == 8 })
        #expect(abs(h100x8.gpuMemoryGiB - 652_472.0 / 1024 / 8) < 0.01)
        #expect(h100x8.interconnect == .nvlink)
        // Every offer ends up with a plausible per-GPU memory (no totals left).
        for offer in catalog.offers { #expect(offer.gpuMemoryGiB > 7 && offer.gpuMemoryGiB < 200, "\(offer)") }
        // RTX 4090 naming and odd counts.
        let counts = Set(catalog.offers.filter { $0.accelerator == "RTX4090" }.map(\.gpuCount))
        #expect(counts.isSuperset(of: [5, 7, 12]))
        // Spot 0.00 means not offered; regions with an empty state are normalised.
        #expect(catalog.offers.allSatisfy { $0.spotPricePerHour == nil })
        #expect(catalog.offers.allSatisfy { !$0.region.hasPrefix(",") && !$0.region.hasPrefix(" ") })
        #expect(catalog.offers.contains { $0.region == "US, NA" })
        #expect(catalog.offers.contains { $0.accelerator == "A6000" })
        #expect(catalog.offers.contains { $0.accelerator == "RTX6000-Ada" })
        // Price per GPU-hour is the instance price divided by the GPU count.
        #expect(abs(h100x8.pricePerGPUHour - h100x8.pricePerHour / 8) < 1e-12)
    }

    @Test("the shared FluidStack catalog: 23 offers, NVLink only for the NVLINK instance",
          .enabled(if: SharedData.supplyAvailable, "../shared/data/supply is absent; skipping shared catalog test"))
    func fluidstackCounts() throws {
        let catalog = try SkyPilotCatalog.read(path: SharedData.path("supply/fluidstack.csv"), providerID: "fluidstack")
        #expect(catalog.offers.count == 23)
        #expect(catalog.warnings.isEmpty)
        let nvlink = catalog.offers.filter { $0.interconnect == .nvlink }.map(\.instanceType)
        #expect(nvlink == ["H100_NVLINK_80GB::8"])
        let a100 = try #require(catalog.offers.first { $0.instanceType == "A100_PCIE_80GB::8" })
        #expect(a100.accelerator == "A100-80GB")
        #expect(a100.gpuMemoryGiB == 80)
        #expect(a100.interconnect == .pcie)
        #expect(catalog.offers.contains { $0.accelerator == "L40" })
    }

    @Test("CRLF, LF and CR-only line endings give the same offers")
    func lineEndings() throws {
        let rows = [
            "InstanceType,AcceleratorName,AcceleratorCount,vCPUs,MemoryGiB,Price,Region,GpuInfo,SpotPrice",
            "gpu_2x_h100_sxm5,H100,2.0,52.0,450.0,6.38,us-east-1,\"{'Gpus': [{'Name': 'H100', 'Manufacturer': 'NVIDIA', 'Count': 2.0, 'MemoryInfo': {'SizeInMiB': 81920}}], 'TotalGpuMemoryInMiB': 81920}\",",
            "cpu_4x_general,,,4.0,16.0,0.2,us-east-1,,",
        ]
        var results: [[SkyPilotOffer]] = []
        for separator in ["\r\n", "\n", "\r"] {
            let catalog = try SkyPilotCatalog.parse(text: rows.joined(separator: separator) + separator,
                                                    fileName: "t.csv", providerID: "lambda")
            #expect(catalog.cpuOnlyRows == 1)
            results.append(catalog.offers)
        }
        #expect(results[0] == results[1] && results[1] == results[2])
        let offer = try #require(results[0].first)
        #expect(offer.region == "us-east-1")
        #expect(offer.spotPricePerHour == nil)
        #expect(offer.gpuMemoryGiB == 80)
        #expect(offer.line == 2)
    }

    @Test("columns are read by header name, in any order")
    func headerOrder() throws {
        let text = "Region,Price,AcceleratorCount,AcceleratorName,InstanceType\nwest,4.0,4,RTX 4090,box\n"
        let catalog = try SkyPilotCatalog.parse(text: text, fileName: "x.csv", providerID: "p")
        let offer = try #require(catalog.offers.first)
        #expect(offer.accelerator == "RTX4090")
        #expect(offer.gpuMemoryGiB == 24, "memory falls back to the throughput table when GpuInfo is absent")
        #expect(offer.pricePerGPUHour == 1.0)
    }

    @Test("malformed rows are skipped and reported with line and column")
    func malformedRows() throws {
        let text = """
            InstanceType,AcceleratorName,AcceleratorCount,Price,Region,GpuInfo
            ok,H100,8,20.0,r1,
            badcount,H100,eight,20.0,r1,
            fraction,H100,0.5,20.0,r1,
            badprice,H100,8,NaN,r1,
            negative,H100,8,-1,r1,
            noregion,H100,8,1,,
            badinfo,H100,8,1,r1,"{'Gpus': [{'Name'"
            unknownmodel,Gaudi9,8,1,r1,
            toomany,H100,8,1,r1,,extra
            huge,H100,99999999999999999999,1,r1,

            """
        let catalog = try SkyPilotCatalog.parse(text: text, fileName: "m.csv", providerID: "p")
        #expect(catalog.offers.map(\.instanceType) == ["ok"])
        let lines = catalog.warnings.map { $0.line ?? -1 }
        #expect(lines == [3, 4, 5, 6, 7, 8, 9, 10, 11])
        #expect(catalog.warnings.allSatisfy { $0.file == "m.csv" })
        #expect(catalog.warnings[0].description.hasPrefix("m.csv:3: row 3 column AcceleratorCount:"))
        #expect(catalog.warnings[2].item == "row 5 column Price")
        #expect(catalog.warnings[6].item == "row 9 column GpuInfo")
    }

    @Test("an unterminated quote or a missing column makes the file unusable, with a line")
    func fatalErrors() {
        let unterminated = expectDomainError {
            _ = try SkyPilotCatalog.parse(text: "InstanceType,AcceleratorName,AcceleratorCount,Price,Region\na,\"H100,1,2,r\n",
                                          fileName: "q.csv", providerID: "p")
        }
        #expect(unterminated?.problems.first?.line == 2)
        let missing = expectDomainError {
            _ = try SkyPilotCatalog.parse(text: "InstanceType,AcceleratorName\na,H100\n", fileName: "h.csv", providerID: "p")
        }
        #expect(missing?.problems.count == 3)
        #expect(missing?.problems.first?.description == "h.csv:1: header: required column \"AcceleratorCount\" is missing")
        #expect(expectDomainError { _ = try SkyPilotCatalog.parse(text: "", fileName: "e.csv", providerID: "p") } != nil)
    }

    @Test("CSV parser: quotes, escaped quotes, embedded line breaks, trailing empty field")
    func csvParser() throws {
        let records = try CSVParser.parse("a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"multi\nline\",x,\r\n\r\nlast")
        #expect(records.count == 3)
        #expect(records[0].fields == ["a", "b,c", "say \"hi\""])
        #expect(records[1].fields == ["multi\nline", "x", ""])
        #expect(records[1].line == 2)
        #expect(records[2].line == 5)
        #expect(records[2].fields == ["last"])
    }

    @Test("makeNodes: counts per offer, unique ids, per-GPU prices, selector")
    func makeNodes() throws {
        let text = """
            InstanceType,AcceleratorName,AcceleratorCount,Price,SpotPrice,Region
            gpu_8x_h100_sxm5,H100,8,24,8,us-east-1
            gpu_8x_h100_sxm5,H100,8,24,,us-west-1
            gpu_1x_rtx4090,RTX_4090,1,0.4,,us-east-1
            """
        let catalog = try SkyPilotCatalog.parse(text: text, fileName: "n.csv", providerID: "lam")
        let nodes = catalog.makeNodes(nodesPerOffer: .each(2), availability: 0.97)
        #expect(nodes.count == 6)
        #expect(Set(nodes.map(\.id)).count == 6)
        #expect(nodes[0].id == "lam-gpu_8x_h100_sxm5-us-east-1-1")
        #expect(nodes[0].pricePerGPUHour == 3)
        #expect(nodes[0].spotPricePerGPUHour == 1)
        #expect(nodes[0].interconnect == .nvlink)
        #expect(nodes[0].availability == 0.97)
        #expect(nodes[4].accelerator == "RTX4090")
        #expect(nodes[4].interconnect == .none)
        let east = catalog.makeNodes(nodesPerOffer: .select { $0.region == "us-east-1" ? 1 : 0 })
        #expect(east.map(\.region) == ["us-east-1", "us-east-1"])
        let pool = Pool(providers: [catalog.provider], nodes: nodes)
        #expect(pool.problems().isEmpty)
        #expect(SkyPilotCatalog.makeNodes(catalog.offers, nodesPerOffer: .each(1_000_000), maxNodes: 10).count == 10)
    }

    @Test("GpuInfo Python-dict text parses, including Manufacturer")
    func pythonLiteral() throws {
        let value = try PythonLiteral.parse(
            "{'Gpus': [{'Name': 'MI300X', 'Manufacturer': 'AMD', 'Count': 8.0, 'MemoryInfo': {'SizeInMiB': 196608}}], 'TotalGpuMemoryInMiB': 196608, 'Flag': True, 'X': None}")
        #expect(value["Gpus"]?.listValue?.first?["Manufacturer"]?.stringValue == "AMD")
        #expect(value["Gpus"]?.listValue?.first?["MemoryInfo"]?["SizeInMiB"]?.doubleValue == 196_608)
        #expect(value["Flag"] == .bool(true))
        #expect(value["X"] == PythonLiteral.none)
        #expect(throws: PythonLiteral.SyntaxError.self) { try PythonLiteral.parse("{'a': [1, 2}") }
        #expect(throws: PythonLiteral.SyntaxError.self) { try PythonLiteral.parse(String(repeating: "[", count: 10_000)) }
    }

    @Test("an AMD row gets vendor AMD and an 8-GPU MI300X baseboard NVLink-class interconnect")
    func amdRow() throws {
        let text = "InstanceType,AcceleratorName,AcceleratorCount,Price,Region,GpuInfo\nmi,MI300X,8,30,r,\"{'Gpus': [{'Name': 'MI300X', 'Count': 8, 'MemoryInfo': {'SizeInMiB': 196608}}]}\"\n"
        let offer = try #require(try SkyPilotCatalog.parse(text: text, fileName: "a.csv", providerID: "p").offers.first)
        #expect(offer.vendor == "AMD")
        #expect(offer.gpuMemoryGiB == 192)
        #expect(offer.interconnect == .nvlink)
    }
}

import GPUPoolCommandLine
import GPUPoolSupport
import GPUPoolModel

/// The linear part of the JuMP / PyOptInterface facility-location benchmark ("fac-N"), built through
/// the public bulk model API. With G = F = N, i, j ∈ 0…G and f ∈ 1…F:
///
///     min d
///     Σ_f z[i,j,f] = 1
///     s[i,j,f] − d − M(1 − z[i,j,f]) = 0          (M = 2·1.414)
///     r[i,j,f,1] − i/G + y[f,1] = 0
///     r[i,j,f,2] − j/G + y[f,2] = 0
///     y ∈ [0,1], s ≥ 0, z binary, r and d free.
enum FacilityLocation {
    static func build(size n: Int) -> Model {
        precondition(n >= 1)
        let g = n, f = n, points = (g + 1) * (g + 1)
        let bigM = 2 * 1.414
        var model = Model(name: "fac-\(n)")
        let y = model.addVariables(count: 2 * f, lower: 0, upper: 1)                 // y[f, k] at 2f + k
        let s = model.addVariables(count: points * f, lower: 0)                        // s[p, f] at p·F + f
        let z = model.addVariables(count: points * f, kind: .binary)
        let r = model.addVariables(count: 2 * points * f, lower: -.infinity)           // r[p, f, k] at 2(p·F + f) + k
        let d = model.addVariable(lower: -.infinity)

        let rows = points + 3 * points * f
        var starts = [Int](), columns = [Int32](), values = [Double](), lower = [Double](), upper = [Double]()
        starts.reserveCapacity(rows + 1)
        columns.reserveCapacity(points * f * 6)
        values.reserveCapacity(points * f * 6)
        lower.reserveCapacity(rows)
        upper.reserveCapacity(rows)
        starts.append(0)
        func col(_ block: VariableBlock, _ k: Int) -> Int32 { Int32(block.indices.lowerBound + k) }
        func endRow(_ rhs: Double) {
            starts.append(columns.count)
            lower.append(rhs)
            upper.append(rhs)
        }
        for p in 0..<points {
            for ff in 0..<f {
                columns.append(col(z, p * f + ff))
                values.append(1)
            }
            endRow(1)
        }
        for i in 0...g {
            for j in 0...g {
                let p = i * (g + 1) + j
                for ff in 0..<f {
                    let pf = p * f + ff
                    // s − d + M z = M
                    columns.append(col(s, pf)); values.append(1)
                    columns.append(Int32(d.index)); values.append(-1)
                    columns.append(col(z, pf)); values.append(bigM)
                    endRow(bigM)
                    // r1 + y1 = i/G
                    columns.append(col(r, 2 * pf)); values.append(1)
                    columns.append(col(y, 2 * ff)); values.append(1)
                    endRow(Double(i) / Double(g))
                    // r2 + y2 = j/G
                    columns.append(col(r, 2 * pf + 1)); values.append(1)
                    columns.append(col(y, 2 * ff + 1)); values.append(1)
                    endRow(Double(j) / Double(g))
                }
            }
        }
        model.addConstraints(rowStarts: starts, columns: columns, coefficients: values, lower: lower, upper: upper)
        model.setObjectiveCoefficient(d, 1)
        model.setSense(.minimize)
        return model
    }
}

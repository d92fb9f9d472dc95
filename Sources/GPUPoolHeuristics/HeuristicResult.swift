/// What a heuristic found.
public struct HeuristicResult: Sendable, Hashable, Codable {
    /// The assignment; it never exceeds a capacity or uses an ineligible bin.
    public var assignment: Assignment
    /// ``AssignmentProblem/objective(of:)`` of the assignment (penalties of left-out optional
    /// items included; mandatory items left out add nothing, see ``feasible``).
    public var objective: Double
    /// Whether every mandatory item is placed (the assignment passes the checker).
    public var feasible: Bool
    /// A proven bound on the optimal objective (a lower bound when minimising, an upper bound when
    /// maximising) from the Lagrangian relaxation of the capacities, when the method computed one.
    public var bound: Double?
    /// Whether ``bound`` proves the assignment optimal (the search then stops early).
    public var provenOptimal: Bool
    /// Items left unassigned, with the reason.
    public var unplaced: [UnplacedItem]
    /// Wall-clock seconds spent.
    public var seconds: Double
    /// Search iterations made (tabu iterations or descent passes; 0 for constructions).
    public var iterations: Int
    /// Name of the method (``AssignmentHeuristic/Method`` raw value).
    public var name: String
    /// Whether the time limit ended the search (then the result may vary with machine speed).
    public var stoppedByTimeLimit: Bool
}

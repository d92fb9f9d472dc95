import Testing

#if !GLPK
/// Built without the GLPK package trait: every suite of this target is compiled out. This one test
/// shows that in the test report as a skip with its reason, instead of the suites silently vanishing.
@Suite("GLPK (not built)")
struct GLPKAbsentTests {
    @Test(.disabled("built without the GLPK package trait (--disable-default-traits): the GLPK LP, MIP, robustness, MPS-instance, example-file, outcome, bound-capture and cut-retry suites do not run"))
    func glpkSuites() {}
}
#endif

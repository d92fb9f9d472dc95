/*
 * CGLPK — a thin C shim over GLPK for GPUPool.
 *
 * Every entry point does its whole job inside one synchronous C call: it creates a GLPK problem,
 * loads the caller's arrays, runs the solver, copies the results into caller-allocated arrays,
 * deletes the problem and frees GLPK's thread-local environment. GLPK calls abort() on misuse; the
 * shim installs glp_error_hook and longjmps back into itself (never across a Swift frame), frees the
 * environment and reports an error code with GLPK's message instead. Nothing calls back into Swift.
 *
 * When glpk.h is absent the file still compiles; cglpk_available() then returns 0 and every entry
 * point reports CGLPK_ERROR_UNAVAILABLE.
 */
#ifndef CGLPK_H
#define CGLPK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Error codes of cglpk_result.error. */
enum {
    CGLPK_OK = 0,
    /* GLPK detected misuse or an internal failure (its message is in cglpk_result.message). */
    CGLPK_ERROR_GLPK = 1,
    /* malloc failed in the shim. */
    CGLPK_ERROR_NO_MEMORY = 2,
    /* The arrays are inconsistent (sizes, column starts); caught before GLPK sees them. */
    CGLPK_ERROR_BAD_INPUT = 3,
    /* Built without glpk.h. */
    CGLPK_ERROR_UNAVAILABLE = 4
};

/* LP algorithms (cglpk_options.algorithm). */
enum {
    CGLPK_PRIMAL_SIMPLEX = 1,
    CGLPK_DUAL_SIMPLEX = 2,
    CGLPK_INTERIOR_POINT = 3
};

/* Which solution the result arrays hold (cglpk_result.solution_kind). */
enum {
    CGLPK_SOLUTION_NONE = 0,
    CGLPK_SOLUTION_BASIC = 1,
    CGLPK_SOLUTION_INTERIOR = 2,
    CGLPK_SOLUTION_MIP = 3
};

/* What became of the warm start (cglpk_result.warm_start). */
enum {
    CGLPK_WARM_NOT_GIVEN = 0,
    /* glp_ios_heur_sol accepted it as the incumbent. */
    CGLPK_WARM_ACCEPTED = 1,
    /* glp_ios_heur_sol declined it: the incumbent was already at least as good. */
    CGLPK_WARM_NOT_BETTER = 2,
    /* Branch-and-cut never asked for a heuristic point (e.g. the root LP was integral). */
    CGLPK_WARM_NOT_ASKED = 3
};

/* A program in the lowered form: rowLower <= A x <= rowUpper, columnLower <= x <= columnUpper.
 * A is compressed sparse column, zero-based; infinite bounds are +-INFINITY. */
typedef struct {
    int rows;
    int columns;
    /* Nonzero to maximize. */
    int maximize;
    /* columns entries. */
    const double *objective;
    double objective_constant;
    /* columns + 1 offsets into row_indices / values. */
    const intptr_t *column_starts;
    const int32_t *row_indices;
    const double *values;
    const double *row_lower;
    const double *row_upper;
    const double *column_lower;
    const double *column_upper;
    /* columns entries, or NULL when every column is continuous. */
    const bool *is_integer;
} cglpk_problem;

typedef struct {
    /* CGLPK_PRIMAL_SIMPLEX, CGLPK_DUAL_SIMPLEX or CGLPK_INTERIOR_POINT. */
    int algorithm;
    /* Nonzero: branch-and-cut (glp_intopt) for integer columns; zero: LP (relaxation). */
    int integer;
    /* Nonzero: LP presolver in glp_simplex; MIP presolver in glp_intopt when the LP is not solved
     * first (no warm start). */
    int presolve;
    /* Nonzero: Gomory, MIR, cover and clique cuts. */
    int cuts;
    /* Nonzero: feasibility pump before branching. */
    int feasibility_pump;
    /* Nonzero: bound tightening at every branch-and-bound node (GLPK's GLP_PP_ALL); zero: none
     * (it costs more than it saves on models with very long rows). */
    int node_preprocessing;
    /* GLP_BR_* branching and GLP_BT_* backtracking technique; 0 for GLPK's default. */
    int branching;
    int backtracking;
    /* Wall-clock limit for the whole call in milliseconds; negative for none. */
    double time_limit_ms;
    /* Simplex iteration limit (LP phase only); negative for none. */
    int iteration_limit;
    /* Relative MIP gap; negative for GLPK's default (0). */
    double mip_gap;
    /* Branch-and-cut stops, reporting the incumbent as optimal within the gap, once
     * |incumbent - best bound| <= absolute_gap; negative for none (GLPK has no such option: the
     * callback checks it). */
    double absolute_gap;
    /* Branch-and-cut stops once this many nodes exist (GLPK's total node count, the root
     * included); negative for none. */
    long long node_limit;
    /* Branch-and-cut stops once it has found this many improving integer points (a warm start
     * that GLPK accepts counts as one); zero or negative for none. */
    int solution_limit;
    /* Nonzero: normal GLPK output, echoed to stderr as well as captured. Zero: only GLPK's warnings
     * and errors are captured, nothing is printed. */
    int verbose;
    /* Point to offer branch-and-cut at its first heuristic call (columns values, zero-based), or
     * NULL. The caller must have verified it: GLPK does not. */
    const double *warm_start;
    /* When non-NULL and nonzero (read atomically), the solve stops: between phases, at the next
     * branch-and-cut callback, and within 0.1 s inside a simplex or interior-point phase (which is
     * then abandoned; see cglpk_result.abandoned). */
    const int *interrupt;
    /* Most bytes of log to keep (the tail is kept); 0 for 1 MiB. */
    size_t log_limit;
    /* When non-NULL, called on the solving thread during branch-and-cut with the incumbent's
     * objective when GLPK finds a better integer point, and with the best bound when it is
     * refreshed (has_incumbent / has_bound say which values are meaningful). It must return
     * normally (no longjmp) and quickly. */
    void (*progress)(void *context, int has_incumbent, double incumbent, int has_bound, double bound);
    void *progress_context;
} cglpk_options;

typedef struct {
    /* CGLPK_OK or one of the CGLPK_ERROR_* codes; message says what went wrong. */
    int error;
    char message[1024];

    /* Return code and glp_get_status / glp_ipt_status of the LP phase; -1 when not run. */
    int lp_return;
    int lp_status;
    /* 1 when an unsettled verdict (the LP presolver's "no dual feasible solution", interior point's
     * "no primal/dual feasible solution") was settled by primal simplex without presolve;
     * lp_return / lp_status are then those of that simplex solve. */
    int lp_settled_by_simplex;
    /* Return code and glp_mip_status of branch-and-cut; -1 when not run. */
    int mip_return;
    int mip_status;
    /* Nonzero when the interrupt flag stopped the call. */
    int interrupted;
    /* Nonzero when a simplex or interior-point phase was abandoned part-way (interrupt flag or
     * time limit, with interrupted / out_of_time saying which): no point, no return code. A
     * persistent model is lost with it. */
    int abandoned;
    /* Nonzero when the time limit was used up before a phase could start, or when the
     * branch-and-cut callback stopped the search at the time limit. */
    int out_of_time;
    /* Nonzero when the callback stopped branch-and-cut at the absolute gap, the node limit or
     * the solution limit. */
    int absolute_gap_reached;
    int node_limit_reached;
    int solution_limit_reached;
    /* Improving integer points branch-and-cut found (its own, and an accepted warm start). */
    int solutions;

    /* CGLPK_SOLUTION_*: which GLPK solution was copied to the arrays below. */
    int solution_kind;
    double objective;
    /* Best bound seen in branch-and-cut (valid only when has_bound). */
    double bound;
    int has_bound;
    long long iterations;
    long long nodes;
    /* CGLPK_WARM_*. */
    int warm_start;
    /* Persistent models: 1 when simplex started from the basis of the previous solve; 1 in
     * warm_basis_rebuilt when that basis no longer fit the edited problem and a new one was built. */
    int warm_basis_used;
    int warm_basis_rebuilt;

    /* Caller-allocated outputs: values[columns] always; row_duals[rows] and column_duals[columns]
     * may be NULL. Filled when solution_kind != CGLPK_SOLUTION_NONE (duals: basic/interior only). */
    double *values;
    double *row_duals;
    double *column_duals;

    /* Captured GLPK output (NUL-terminated, malloc'ed by the shim, free with cglpk_free); the
     * oldest part is dropped beyond log_limit and log_truncated is then nonzero. */
    char *log;
    size_t log_length;
    int log_truncated;
} cglpk_result;

/* 1 when compiled against glpk.h, 0 otherwise. */
int cglpk_available(void);

/* Copies GLPK's version string ("5.0") into buffer (NUL-terminated, truncated to size). */
void cglpk_version(char *buffer, size_t size);

/* Solves the problem; see cglpk_result. Returns result->error. Thread-safe: each call uses the
 * calling thread's GLPK environment and frees it before returning. */
int cglpk_solve(const cglpk_problem *problem, const cglpk_options *options, cglpk_result *result);

/* Builds the GLPK problem from the arrays exactly as cglpk_solve does, then deletes it (for timing
 * the load). Only error, message and the log fields of result are set. Returns result->error. */
int cglpk_load_only(const cglpk_problem *problem, cglpk_result *result);

/*
 * Persistent models: a GLPK problem that stays loaded between calls, for edits and warm re-solves.
 *
 * GLPK's environment is thread-local: every call on a model must come from the thread that created
 * it, and that thread must not run cglpk_solve or cglpk_load_only while the model lives (they free
 * the thread's environment). Indices are zero-based. Each call checks its indices and values before
 * GLPK sees them (CGLPK_ERROR_BAD_INPUT leaves the model as it was). A GLPK failure inside a call
 * (CGLPK_ERROR_GLPK) frees the thread's environment and with it the problem: the model is then
 * lost (cglpk_model_is_lost) and only cglpk_model_free may be called on it.
 */
typedef struct cglpk_model cglpk_model;

/* Loads the problem as cglpk_solve does. Returns NULL and sets result->error on failure. */
cglpk_model *cglpk_model_new(const cglpk_problem *problem, cglpk_result *result);
/* Deletes the problem and frees the thread's GLPK environment. NULL is ignored. */
void cglpk_model_free(cglpk_model *model);
/* 1 after a GLPK failure destroyed the problem. */
int cglpk_model_is_lost(const cglpk_model *model);
/* 1 when the next solve starts from the basis of an earlier one. */
int cglpk_model_has_basis(const cglpk_model *model);
/* Current sizes. */
int cglpk_model_rows(const cglpk_model *model);
int cglpk_model_columns(const cglpk_model *model);

/* Bounds of `count` columns / rows (+-INFINITY for none). */
int cglpk_model_set_column_bounds(cglpk_model *model, int count, const int32_t *columns, const double *lower,
                                  const double *upper, cglpk_result *result);
int cglpk_model_set_row_bounds(cglpk_model *model, int count, const int32_t *rows, const double *lower,
                               const double *upper, cglpk_result *result);
/* Objective coefficients of `count` columns; column -1 is the constant. */
int cglpk_model_set_objective(cglpk_model *model, int count, const int32_t *columns, const double *values,
                              cglpk_result *result);
/* Nonzero to maximize. */
int cglpk_model_set_sense(cglpk_model *model, int maximize, cglpk_result *result);
/* Integrality of `count` columns. */
int cglpk_model_set_integer(cglpk_model *model, int count, const int32_t *columns, const bool *is_integer,
                            cglpk_result *result);
/* Matrix entries (row, column) = value; 0 removes the entry. A pair may appear once per call. */
int cglpk_model_set_coefficients(cglpk_model *model, int count, const int32_t *rows, const int32_t *columns,
                                 const double *values, cglpk_result *result);
/* Appends `count` rows given row-wise (starts[count + 1] into columns / values). */
int cglpk_model_add_rows(cglpk_model *model, int count, const double *lower, const double *upper,
                         const intptr_t *starts, const int32_t *columns, const double *values, cglpk_result *result);
/* Appends `count` columns given column-wise (starts[count + 1] into rows / values); is_integer may
 * be NULL. */
int cglpk_model_add_columns(cglpk_model *model, int count, const double *objective, const double *lower,
                            const double *upper, const bool *is_integer, const intptr_t *starts,
                            const int32_t *rows, const double *values, cglpk_result *result);
/* Deletes `count` distinct rows / columns; the others move up to close the gaps, in order. */
int cglpk_model_delete_rows(cglpk_model *model, int count, const int32_t *rows, cglpk_result *result);
int cglpk_model_delete_columns(cglpk_model *model, int count, const int32_t *columns, cglpk_result *result);
/* Solves as cglpk_solve does, except that the presolvers stay off and simplex starts from the basis
 * the last solve left (when it still fits; warm_basis_used / warm_basis_rebuilt say). A MIP warm
 * start is offered as in cglpk_solve. result->values etc. are sized by the current model. */
int cglpk_model_solve(cglpk_model *model, const cglpk_options *options, cglpk_result *result);

/* Frees memory the shim allocated (cglpk_result.log). */
void cglpk_free(void *pointer);

/* Raises / reads an interrupt flag atomically. */
void cglpk_flag_raise(int *flag);
int cglpk_flag_read(const int *flag);

/* Self-test: deliberately misuses GLPK (glp_set_row_name on a row index out of range, which makes
 * GLPK abort() without the hook) and reports what the error hook caught. kind 0: bad row index;
 * kind 1: duplicate index in glp_set_mat_row. Returns result->error (CGLPK_ERROR_GLPK expected). */
int cglpk_provoke_error(int kind, cglpk_result *result);

#ifdef __cplusplus
}
#endif

#endif /* CGLPK_H */

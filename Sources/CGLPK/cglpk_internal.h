/* Shared state of one shim call; private to the CGLPK target. */
#ifndef CGLPK_INTERNAL_H
#define CGLPK_INTERNAL_H

#include "CGLPK.h"

#if defined(CGLPK_REQUIRE_GLPK) && !__has_include(<glpk.h>)
#error "the GLPK package trait needs GLPK's header glpk.h: install libglpk-dev (Debian/Ubuntu) or glpk (Homebrew), or build without the trait (swift build --disable-default-traits)"
#endif

#if __has_include(<glpk.h>)
#define CGLPK_HAVE_GLPK 1
#include <glpk.h>
#include <math.h>
#include <setjmp.h>

/* Everything one call needs, heap-allocated so that its fields keep their values across the
 * longjmp of the error hook (only automatic variables of the function that called setjmp lose
 * them). */
typedef struct cglpk_session {
    jmp_buf jump;
    const cglpk_problem *problem;
    const cglpk_options *options;
    cglpk_result *result;

    /* Captured output. */
    char *log;
    size_t log_length, log_capacity, log_limit;
    int log_truncated, echo;
    /* The last bytes written, for the error message. */
    char recent[1024];
    size_t recent_length;

    /* Owned by the call; released after success and after an error alike. */
    glp_prob *lp;
    int *ja;     /* one column's 1-based row indices */
    double *ar;  /* and values */
    double *warm_start; /* 1-based copy */

    /* Timing (CLOCK_MONOTONIC, milliseconds). */
    double start_ms;
    double last_bound_ms;
    /* Branch-and-cut callback state. */
    int warm_offered;
    /* The incumbent's objective as last reported to options->progress. */
    double incumbent;
    int has_incumbent;
    long long lp_iterations;
    long long tree_iterations;
    /* cglpk_provoke_error: which misuse to commit. */
    int self_test_kind;
    /* A persistent model's call (model.c): on success the problem and the thread's environment are
     * kept for the next call; the LP starts from the problem's current basis. */
    int keep;
    /* Persistent model: the basis the problem holds is worth starting from (solved before). */
    int warm_basis;
    /* glp_get_it_cnt when this solve began. */
    long long it_base;
    /* Set while an LP phase runs that must stop on the interrupt flag or the clock (the terminal
     * hook checks both and abandons the phase). */
    int watching;
    /* A persistent model's call: its arguments (model.c). */
    const void *context;
} cglpk_session;

/* GLPK's bound type for a pair of bounds (+-INFINITY for none). */
static inline int cglpk_bound_type(double lower, double upper) {
    int has_lower = lower > -INFINITY, has_upper = upper < INFINITY;
    if (has_lower && has_upper) return lower == upper ? GLP_FX : GLP_DB;
    if (has_lower) return GLP_LO;
    if (has_upper) return GLP_UP;
    return GLP_FR;
}

/* GLPK ignores the value of a missing bound but must not be given an infinity. */
static inline double cglpk_finite_or_zero(double value) { return isfinite(value) ? value : 0.0; }

/* The solve after the problem is loaded: LP, branch-and-cut, results (solve.c). */
void cglpk_solve_loaded(cglpk_session *session);

/* Runs body(session) with the hooks installed; on a GLPK error fills result->error/message.
 * Always frees the thread's GLPK environment and the session's own allocations. */
int cglpk_run_guarded(cglpk_session *session, void (*body)(cglpk_session *));

/* Allocates and initializes a session (NULL when out of memory). */
cglpk_session *cglpk_session_new(const cglpk_problem *problem, const cglpk_options *options,
                                 cglpk_result *result);

/* Hands the captured log to the result and frees the session. */
void cglpk_session_finish(cglpk_session *session);

/* Checks the arrays, creates session->lp and loads everything. Returns 0 or an error code (with
 * result->message set); GLPK errors longjmp. */
int cglpk_load(cglpk_session *session);

/* Milliseconds on a monotonic clock. */
double cglpk_now_ms(void);

/* Sets result->error and a formatted message. */
void cglpk_fail(cglpk_result *result, int code, const char *format, ...);
/* Clears a result for a new call, keeping the caller's output arrays; phases not run are -1. */
void cglpk_result_reset(cglpk_result *result);

#else
#define CGLPK_HAVE_GLPK 0
#endif

#endif /* CGLPK_INTERNAL_H */

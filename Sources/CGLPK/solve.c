/* The whole solve in one call: load, LP (simplex or interior point), branch-and-cut, results. */
#include "cglpk_internal.h"

#if CGLPK_HAVE_GLPK

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* GPUPoolGLPK mirrors these codes in Swift (GLPKCodes.swift). */
_Static_assert(GLP_UNDEF == 1 && GLP_FEAS == 2 && GLP_INFEAS == 3 && GLP_NOFEAS == 4 && GLP_OPT == 5 &&
                   GLP_UNBND == 6, "GLPK status codes changed");
_Static_assert(GLP_EBADB == 1 && GLP_ESING == 2 && GLP_ECOND == 3 && GLP_EBOUND == 4 && GLP_EFAIL == 5 &&
                   GLP_EOBJLL == 6 && GLP_EOBJUL == 7 && GLP_EITLIM == 8 && GLP_ETMLIM == 9 &&
                   GLP_ENOPFS == 10 && GLP_ENODFS == 11 && GLP_EROOT == 12 && GLP_ESTOP == 13 &&
                   GLP_EMIPGAP == 14 && GLP_ENOFEAS == 15 && GLP_ENOCVG == 16 && GLP_EINSTAB == 17,
               "GLPK return codes changed");
_Static_assert(GLP_BR_FFV == 1 && GLP_BR_LFV == 2 && GLP_BR_MFV == 3 && GLP_BR_DTH == 4 && GLP_BR_PCH == 5 &&
                   GLP_BT_DFS == 1 && GLP_BT_BFS == 2 && GLP_BT_BLB == 3 && GLP_BT_BPH == 4,
               "GLPK branching/backtracking codes changed");

/* How often the branch-and-cut callback refreshes the best bound (it scans the active nodes). */
static const double BOUND_REFRESH_MS = 20.0;

static int message_level(const cglpk_options *o) { return o->verbose ? GLP_MSG_ON : GLP_MSG_ERR; }

static int interrupted(cglpk_session *s) {
    if (cglpk_flag_read(s->options->interrupt)) s->result->interrupted = 1;
    return s->result->interrupted;
}

/* GLPK's tm_lim for the next phase: what is left of the call's limit (INT_MAX for none). Returns
 * 0 and marks the result when nothing is left. */
static int remaining_time(cglpk_session *s, int *tm_lim) {
    *tm_lim = INT_MAX;
    if (!(s->options->time_limit_ms >= 0)) return 1;
    double left = s->options->time_limit_ms - (cglpk_now_ms() - s->start_ms);
    if (left <= 0) {
        s->result->out_of_time = 1;
        return 0;
    }
    *tm_lim = left >= (double)(INT_MAX - 1) ? INT_MAX - 1 : (int)ceil(left);
    return 1;
}

static int has_integer_columns(const cglpk_problem *p) {
    if (!p->is_integer) return 0;
    for (int j = 0; j < p->columns; j++) if (p->is_integer[j]) return 1;
    return 0;
}

static void copy_basic(cglpk_session *s) {
    cglpk_result *r = s->result;
    glp_prob *lp = s->lp;
    int n = glp_get_num_cols(lp), m = glp_get_num_rows(lp);
    for (int j = 0; j < n; j++) r->values[j] = glp_get_col_prim(lp, j + 1);
    if (r->column_duals) for (int j = 0; j < n; j++) r->column_duals[j] = glp_get_col_dual(lp, j + 1);
    if (r->row_duals) for (int i = 0; i < m; i++) r->row_duals[i] = glp_get_row_dual(lp, i + 1);
    r->objective = glp_get_obj_val(lp);
    r->solution_kind = CGLPK_SOLUTION_BASIC;
}

static void copy_interior(cglpk_session *s) {
    cglpk_result *r = s->result;
    glp_prob *lp = s->lp;
    int n = glp_get_num_cols(lp), m = glp_get_num_rows(lp);
    for (int j = 0; j < n; j++) r->values[j] = glp_ipt_col_prim(lp, j + 1);
    if (r->column_duals) for (int j = 0; j < n; j++) r->column_duals[j] = glp_ipt_col_dual(lp, j + 1);
    if (r->row_duals) for (int i = 0; i < m; i++) r->row_duals[i] = glp_ipt_row_dual(lp, i + 1);
    r->objective = glp_ipt_obj_val(lp);
    r->solution_kind = CGLPK_SOLUTION_INTERIOR;
}

static void copy_mip(cglpk_session *s) {
    cglpk_result *r = s->result;
    glp_prob *lp = s->lp;
    int n = glp_get_num_cols(lp);
    for (int j = 0; j < n; j++) r->values[j] = glp_mip_col_val(lp, j + 1);
    /* The objective of the point returned. glp_mip_obj_val is the objective of the node LP that
     * found the incumbent, before GLPK rounded its integer columns: with columns within tol_int of
     * an integer it differs from the rounded point's objective (seen as 1e-6 relative on placement
     * models with fractional hold rows), which is not a numerical error. The point itself is
     * verified in Swift. */
    double objective = glp_get_obj_coef(lp, 0);
    for (int j = 0; j < n; j++) objective += glp_get_obj_coef(lp, j + 1) * r->values[j];
    r->objective = objective;
    r->solution_kind = CGLPK_SOLUTION_MIP;
}

/* Scales the problem and/or builds an advanced initial basis. Both always print; in quiet mode
 * terminal output is off meanwhile (only here: GLPK's error messages must still reach the hook). */
static void quietly_prepare(cglpk_session *s, int scale, int basis) {
    int quiet = !s->options->verbose;
    if (quiet) glp_term_out(GLP_OFF);
    if (scale) glp_scale_prob(s->lp, GLP_SF_AUTO);
    if (basis) glp_adv_basis(s->lp, 0);
    if (quiet) glp_term_out(GLP_ON);
}

/* Whether a simplex outcome leaves "infeasible or unbounded?" open: the presolver's "no dual
 * feasible solution", or GLPK 5.0's dual simplex returning 0 with a dual infeasible basis
 * (status GLP_INFEAS or GLP_UNDEF). */
static int unsettled(int presolve, int code, int status) {
    if (presolve && code == GLP_ENODFS) return 1;
    return code == 0 && status != GLP_OPT && status != GLP_NOFEAS && status != GLP_UNBND;
}

/* How often a watched simplex prints (and so the terminal hook checks the interrupt flag). */
enum { WATCH_INTERVAL_MS = 100 };

/* glp_simplex, watched by the terminal hook when an interrupt flag is given. */
static int watched_simplex(cglpk_session *s, const glp_smcp *parm) {
    s->watching = s->options->interrupt != NULL;
    int code = glp_simplex(s->lp, parm);
    s->watching = 0;
    return code;
}

/* Whether the kept basis can be handed to glp_simplex: exactly one basic variable per row (after
 * deleting rows or basic columns there is not), and no basic column without entries. An empty
 * basic column makes the basis structurally singular, and GLPK 5.0's factorizer does not always
 * say so: on some such bases it fails an assertion (`k1 < k2` in bflib/sgf.c) instead of
 * returning GLP_ESING, which would lose the problem. */
static int basis_usable(glp_prob *lp) {
    int rows = glp_get_num_rows(lp), columns = glp_get_num_cols(lp), basic = 0;
    for (int i = 1; i <= rows; i++) basic += glp_get_row_stat(lp, i) == GLP_BS;
    for (int j = 1; j <= columns; j++) {
        if (glp_get_col_stat(lp, j) != GLP_BS) continue;
        if (glp_get_mat_col(lp, j, NULL, NULL) == 0) return 0;
        basic++;
    }
    return basic == rows;
}

/* Simplex with the options' method; an unsettled verdict is settled by primal simplex without
 * presolve: phase 1 decides feasibility, phase 2 then finds the unbounded ray. */
static void run_simplex(cglpk_session *s, int algorithm, int presolve) {
    const cglpk_options *o = s->options;
    cglpk_result *r = s->result;
    glp_smcp parm;
    glp_init_smcp(&parm);
    parm.msg_lev = message_level(o);
    parm.meth = algorithm == CGLPK_DUAL_SIMPLEX ? GLP_DUALP : GLP_PRIMAL;
    /* Dual simplex with the long-step (bound-flipping) ratio test, as glpsol --flip: one
     * iteration can pass over many boxed variables, which warm re-solves after bound changes
     * are full of. */
    if (parm.meth == GLP_DUALP) parm.r_test = GLP_RT_FLIP;
    parm.presolve = presolve ? GLP_ON : GLP_OFF;
    if (o->iteration_limit >= 0) parm.it_lim = o->iteration_limit;
    if (!remaining_time(s, &parm.tm_lim)) return;
    /* With an interrupt flag, simplex prints progress every 0.1 s for the terminal hook to check
     * it (GLPK's simplex checks its time limit itself). */
    if (o->interrupt) {
        parm.msg_lev = GLP_MSG_ON;
        parm.out_frq = WATCH_INTERVAL_MS;
        parm.out_dly = 0;
    }
    if (s->warm_basis && !presolve && basis_usable(s->lp)) {
        /* A persistent model's re-solve starts from the basis of its last solve (scaled then). */
        r->lp_return = watched_simplex(s, &parm);
        if (r->lp_return == GLP_EBADB || r->lp_return == GLP_ESING || r->lp_return == GLP_ECOND) {
            /* Edits left the kept basis unusable: start again from an advanced basis. */
            r->warm_basis_rebuilt = 1;
            quietly_prepare(s, 0, 1);
            r->lp_return = watched_simplex(s, &parm);
        } else {
            r->warm_basis_used = 1;
        }
    } else {
        if (s->warm_basis) r->warm_basis_rebuilt = 1;
        quietly_prepare(s, 1, !presolve);
        r->lp_return = watched_simplex(s, &parm);
    }
    r->lp_status = glp_get_status(s->lp);
    if (unsettled(presolve, r->lp_return, r->lp_status) && !interrupted(s)) {
        parm.meth = GLP_PRIMAL;
        parm.presolve = GLP_OFF;
        if (o->iteration_limit >= 0) parm.it_lim = o->iteration_limit - (int)(glp_get_it_cnt(s->lp) - s->it_base);
        if (parm.it_lim < 0) parm.it_lim = 0;
        if (!remaining_time(s, &parm.tm_lim)) return;
        /* After the presolver there is no basis of the original problem; otherwise continue from
         * the dual simplex's final basis. */
        if (presolve) quietly_prepare(s, 0, 1);
        r->lp_settled_by_simplex = 1;
        r->lp_return = watched_simplex(s, &parm);
        r->lp_status = glp_get_status(s->lp);
    }
    s->lp_iterations = glp_get_it_cnt(s->lp) - s->it_base;
    r->iterations = s->lp_iterations;
}

static void run_interior(cglpk_session *s) {
    cglpk_result *r = s->result;
    glp_iptcp parm;
    glp_init_iptcp(&parm);
    parm.msg_lev = message_level(s->options);
    /* GLPK's interior point has no time limit: it prints one line per iteration, and the terminal
     * hook checks the clock and the interrupt flag there. */
    int tm_lim;
    if (!remaining_time(s, &tm_lim)) return;
    int watch = s->options->interrupt || s->options->time_limit_ms >= 0;
    if (watch) parm.msg_lev = GLP_MSG_ON;
    s->watching = watch;
    r->lp_return = glp_interior(s->lp, &parm);
    s->watching = 0;
    r->lp_status = glp_ipt_status(s->lp);
    r->iterations = glp_get_it_cnt(s->lp) - s->it_base;
}

static void report_progress(cglpk_session *s) {
    const cglpk_options *o = s->options;
    if (o->progress) o->progress(o->progress_context, s->has_incumbent, s->incumbent, s->result->has_bound, s->result->bound);
}

/* Returns 1 when the bound changed. */
static int capture_bound(cglpk_session *s, glp_tree *tree) {
    int best = glp_ios_best_node(tree);
    if (best == 0) return 0;
    double bound = glp_ios_node_bound(tree, best);
    /* Before a node's LP relaxation is solved GLPK reports ±DBL_MAX: no bound yet. */
    if (!(fabs(bound) < 0.5 * DBL_MAX)) return 0;
    s->last_bound_ms = cglpk_now_ms();
    int changed = !s->result->has_bound || s->result->bound != bound;
    s->result->bound = bound;
    s->result->has_bound = 1;
    return changed;
}

/* The incumbent's objective, however GLPK found it. With the MIP presolver the
 * tree's problem is the presolved one; its objective constant carries what presolve removed, so
 * the value is the original problem's objective. Returns 1 when it changed. */
static int capture_incumbent(cglpk_session *s, glp_tree *tree) {
    glp_prob *p = glp_ios_get_prob(tree);
    if (glp_mip_status(p) != GLP_FEAS && glp_mip_status(p) != GLP_OPT) return 0;
    double value = glp_mip_obj_val(p);
    int changed = !s->has_incumbent || s->incumbent != value;
    s->incumbent = value;
    s->has_incumbent = 1;
    return changed;
}

static void branch_and_cut_callback(glp_tree *tree, void *info) {
    cglpk_session *s = info;
    cglpk_result *r = s->result;
    int active, current, total;
    glp_ios_tree_size(tree, &active, &current, &total);
    r->nodes = total;
    s->tree_iterations = glp_get_it_cnt(glp_ios_get_prob(tree));
    if (interrupted(s)) {
        glp_ios_terminate(tree);
        return;
    }
    /* GLPK checks tm_lim only when it selects the next node; the callback runs at more points
     * (preprocessing, cut and heuristic rounds), so the limit is also enforced here. */
    if (s->options->time_limit_ms >= 0 && cglpk_now_ms() - s->start_ms >= s->options->time_limit_ms) {
        s->result->out_of_time = 1;
        glp_ios_terminate(tree);
        return;
    }
    if (s->options->node_limit >= 0 && total >= s->options->node_limit) {
        r->node_limit_reached = 1;
        glp_ios_terminate(tree);
        return;
    }
    int reason = glp_ios_reason(tree);
    int injected = 0;
    if (reason == GLP_IHEUR && s->warm_start && !s->warm_offered) {
        s->warm_offered = 1;
        r->warm_start = glp_ios_heur_sol(tree, s->warm_start) == 0 ? CGLPK_WARM_ACCEPTED : CGLPK_WARM_NOT_BETTER;
        injected = 1;
    }
    /* The bound is read whenever GLPK may stop right after this call: a new incumbent (its own,
     * or the warm start just injected) can meet the MIP gap, and after glp_intopt returns the
     * tree is gone. Otherwise it is refreshed at most every BOUND_REFRESH_MS. */
    int stale = cglpk_now_ms() - s->last_bound_ms >= BOUND_REFRESH_MS;
    int changed = 0;
    /* Checked at every call, not only at GLP_IBINGO: GLPK's own rounding heuristic (sr_heur, on by
     * default) and an accepted warm start install incumbents without that reason. Two O(1) reads. */
    const cglpk_options *o = s->options;
    int counting = o->solution_limit > 0 || o->absolute_gap >= 0;
    int improved = 0;
    if (o->progress || counting) {
        improved = capture_incumbent(s, tree);
        changed |= improved;
        if (improved) r->solutions++;
    }
    /* With an absolute gap the bound is read at every node selection: the gap can close when
     * the bound moves, not only when the incumbent does. */
    if (o->absolute_gap >= 0 && reason == GLP_ISELECT) stale = 1;
    if (reason == GLP_IBINGO || injected || improved || !r->has_bound ||
        ((reason == GLP_ISELECT || reason == GLP_IHEUR) && stale)) {
        changed |= capture_bound(s, tree);
    }
    if (changed) report_progress(s);
    if (o->solution_limit > 0 && r->solutions >= o->solution_limit) {
        r->solution_limit_reached = 1;
        glp_ios_terminate(tree);
        return;
    }
    if (o->absolute_gap >= 0 && s->has_incumbent && r->has_bound && fabs(s->incumbent - r->bound) <= o->absolute_gap) {
        r->absolute_gap_reached = 1;
        glp_ios_terminate(tree);
    }
}

static void run_branch_and_cut(cglpk_session *s, int presolve) {
    const cglpk_options *o = s->options;
    cglpk_result *r = s->result;
    glp_iocp parm;
    glp_init_iocp(&parm);
    parm.msg_lev = message_level(o);
    parm.presolve = presolve ? GLP_ON : GLP_OFF;
    if (o->cuts) parm.gmi_cuts = parm.mir_cuts = parm.cov_cuts = parm.clq_cuts = GLP_ON;
    if (o->feasibility_pump) parm.fp_heur = GLP_ON;
    if (o->branching > 0) parm.br_tech = o->branching;
    if (o->backtracking > 0) parm.bt_tech = o->backtracking;
    if (o->mip_gap >= 0) parm.mip_gap = o->mip_gap;
    parm.pp_tech = o->node_preprocessing ? GLP_PP_ALL : GLP_PP_NONE;
    parm.cb_func = branch_and_cut_callback;
    parm.cb_info = s;
    if (!remaining_time(s, &parm.tm_lim)) return;
    if (presolve) quietly_prepare(s, 1, 0);
    r->mip_return = glp_intopt(s->lp, &parm);
    r->mip_status = glp_mip_status(s->lp);
    if (s->warm_start && !s->warm_offered) r->warm_start = CGLPK_WARM_NOT_ASKED;
    r->iterations = presolve ? s->lp_iterations + s->tree_iterations : glp_get_it_cnt(s->lp) - s->it_base;
    if (r->mip_status == GLP_OPT || r->mip_status == GLP_FEAS) copy_mip(s);
}

static void solve_body(cglpk_session *s) {
    if (cglpk_load(s) != CGLPK_OK || interrupted(s)) return;
    cglpk_solve_loaded(s);
}

void cglpk_solve_loaded(cglpk_session *s) {
    const cglpk_options *o = s->options;
    cglpk_result *r = s->result;
    int rows = glp_get_num_rows(s->lp), columns = glp_get_num_cols(s->lp);
    int mip = o->integer && glp_get_num_int(s->lp) > 0;
    /* GLPK counts iterations over the problem's life; a persistent model reports each solve's own. */
    s->it_base = glp_get_it_cnt(s->lp);
    /* A persistent model never presolves: the presolver throws the basis away, and keeping it is
     * the point of the model. */
    int presolve = o->presolve && !s->keep;
    if (mip && o->warm_start) {
        s->warm_start = malloc(sizeof(double) * ((size_t)columns + 1));
        if (!s->warm_start) {
            cglpk_fail(r, CGLPK_ERROR_NO_MEMORY, "out of memory copying the warm start");
            return;
        }
        s->warm_start[0] = 0;
        memcpy(s->warm_start + 1, o->warm_start, sizeof(double) * (size_t)columns);
    }

    if (mip && presolve && !s->warm_start) {
        /* The MIP presolver solves the relaxation itself. */
        run_branch_and_cut(s, 1);
        if (r->mip_return == GLP_ENODFS && !interrupted(s)) {
            /* Relaxation infeasible or unbounded: an infeasible relaxation settles it. */
            run_simplex(s, CGLPK_PRIMAL_SIMPLEX, 0);
        }
        return;
    }

    int empty = rows == 0 || columns == 0;
    if (o->algorithm == CGLPK_INTERIOR_POINT && !mip && !empty) {
        run_interior(s);
        if (r->lp_status == GLP_OPT) {
            copy_interior(s);
        } else if (r->lp_return == 0 && r->lp_status == GLP_NOFEAS && !interrupted(s)) {
            /* "No feasible primal/dual solution": simplex tells infeasible from unbounded. */
            run_simplex(s, CGLPK_PRIMAL_SIMPLEX, 0);
            r->lp_settled_by_simplex = 1;
        }
        return;
    }
    int algorithm = o->algorithm == CGLPK_INTERIOR_POINT ? CGLPK_DUAL_SIMPLEX : o->algorithm;
    /* Before branch-and-cut without presolve the basis must be optimal, which the LP presolver
     * restores on success. */
    run_simplex(s, algorithm, presolve);
    if (!mip) {
        if (r->lp_status == GLP_OPT || r->lp_status == GLP_FEAS) copy_basic(s);
        return;
    }
    if (r->lp_return == 0 && r->lp_status == GLP_OPT && !interrupted(s)) run_branch_and_cut(s, 0);
}

int cglpk_solve(const cglpk_problem *problem, const cglpk_options *options, cglpk_result *result) {
    if (!result) return CGLPK_ERROR_BAD_INPUT;
    cglpk_result_reset(result);
    if (!options || (problem && problem->columns > 0 && !result->values)) {
        cglpk_fail(result, CGLPK_ERROR_BAD_INPUT, "options or the values array missing");
        return result->error;
    }
    cglpk_session *s = cglpk_session_new(problem, options, result);
    if (!s) {
        cglpk_fail(result, CGLPK_ERROR_NO_MEMORY, "out of memory");
        return result->error;
    }
    cglpk_run_guarded(s, solve_body);
    cglpk_session_finish(s);
    return result->error;
}

#endif

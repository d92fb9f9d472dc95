/* Building a glp_prob from the lowered arrays. */
#include "cglpk_internal.h"

#if CGLPK_HAVE_GLPK

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* GLPK's own limits (prob.h: M_MAX, N_MAX, NNZ_MAX); beyond them it aborts. */
enum { GLPK_MAX_ROWS = 100000000, GLPK_MAX_COLUMNS = 100000000, GLPK_MAX_NONZEROS = 500000000 };

/* Structural checks GLPK would otherwise answer with abort() (the Swift side has validated
 * values and bounds; this keeps a bad caller from reaching GLPK at all). */
static int check_arrays(const cglpk_problem *p, cglpk_result *r) {
    if (!p) {
        cglpk_fail(r, CGLPK_ERROR_BAD_INPUT, "no problem given");
        return r->error;
    }
    if (p->rows < 0 || p->columns < 0 || p->rows > GLPK_MAX_ROWS || p->columns > GLPK_MAX_COLUMNS) {
        cglpk_fail(r, CGLPK_ERROR_BAD_INPUT, "%d rows and %d columns: GLPK takes 0 to %d of each",
                   p->rows, p->columns, GLPK_MAX_ROWS);
        return r->error;
    }
    if (p->columns > 0 && (!p->objective || !p->column_lower || !p->column_upper || !p->column_starts)) {
        cglpk_fail(r, CGLPK_ERROR_BAD_INPUT, "column arrays missing");
        return r->error;
    }
    if (p->rows > 0 && (!p->row_lower || !p->row_upper)) {
        cglpk_fail(r, CGLPK_ERROR_BAD_INPUT, "row arrays missing");
        return r->error;
    }
    if (p->columns == 0) return CGLPK_OK;
    if (p->column_starts[0] != 0) {
        cglpk_fail(r, CGLPK_ERROR_BAD_INPUT, "column starts must begin at 0");
        return r->error;
    }
    for (int j = 0; j < p->columns; j++) {
        if (p->column_starts[j + 1] < p->column_starts[j]) {
            cglpk_fail(r, CGLPK_ERROR_BAD_INPUT, "column start decreases at column %d", j);
            return r->error;
        }
    }
    intptr_t nonzeros = p->column_starts[p->columns];
    if (nonzeros > GLPK_MAX_NONZEROS) {
        cglpk_fail(r, CGLPK_ERROR_BAD_INPUT, "%lld nonzeros: GLPK takes at most %d",
                   (long long)nonzeros, GLPK_MAX_NONZEROS);
        return r->error;
    }
    if (nonzeros > 0 && (!p->row_indices || !p->values)) {
        cglpk_fail(r, CGLPK_ERROR_BAD_INPUT, "matrix arrays missing");
        return r->error;
    }
    return CGLPK_OK;
}

int cglpk_load(cglpk_session *s) {
    const cglpk_problem *p = s->problem;
    cglpk_result *r = s->result;
    if (check_arrays(p, r) != CGLPK_OK) return r->error;

    int n = p->columns, m = p->rows;
    intptr_t longest = 0;
    for (int j = 0; j < n; j++) {
        intptr_t length = p->column_starts[j + 1] - p->column_starts[j];
        if (length > longest) longest = length;
    }
    /* One column at a time, 1-based as GLPK wants (index 0 unused). glp_set_mat_col per column took
     * half the time of one glp_load_matrix on a 1M-nonzero program (0.2 s against 0.44 s) and needs
     * no triplet arrays. */
    s->ja = malloc(sizeof(int) * ((size_t)longest + 1));
    s->ar = malloc(sizeof(double) * ((size_t)longest + 1));
    if (!s->ja || !s->ar) {
        cglpk_fail(r, CGLPK_ERROR_NO_MEMORY, "out of memory for a column of %lld entries", (long long)longest);
        return r->error;
    }

    glp_prob *lp = s->lp = glp_create_prob();
    glp_set_obj_dir(lp, p->maximize ? GLP_MAX : GLP_MIN);
    glp_set_obj_coef(lp, 0, p->objective_constant);
    if (m > 0) glp_add_rows(lp, m);
    if (n > 0) glp_add_cols(lp, n);
    for (int i = 0; i < m; i++) {
        double lower = p->row_lower[i], upper = p->row_upper[i];
        glp_set_row_bnds(lp, i + 1, cglpk_bound_type(lower, upper), cglpk_finite_or_zero(lower), cglpk_finite_or_zero(upper));
    }
    for (int j = 0; j < n; j++) {
        double lower = p->column_lower[j], upper = p->column_upper[j];
        glp_set_col_bnds(lp, j + 1, cglpk_bound_type(lower, upper), cglpk_finite_or_zero(lower), cglpk_finite_or_zero(upper));
        if (p->objective[j] != 0.0) glp_set_obj_coef(lp, j + 1, p->objective[j]);
        if (p->is_integer && p->is_integer[j]) glp_set_col_kind(lp, j + 1, GLP_IV);

        intptr_t first = p->column_starts[j];
        int length = (int)(p->column_starts[j + 1] - first);
        if (length == 0) continue;
        for (int k = 0; k < length; k++) {
            int32_t row = p->row_indices[first + k];
            if (row < 0 || row >= m) {
                cglpk_fail(r, CGLPK_ERROR_BAD_INPUT, "entry %lld of column %d has row index %d outside 0..<%d",
                           (long long)(first + k), j, row, m);
                return r->error;
            }
            s->ja[k + 1] = row + 1;
            s->ar[k + 1] = p->values[first + k];
        }
        glp_set_mat_col(lp, j + 1, length, s->ja, s->ar);
    }
    free(s->ja);
    free(s->ar);
    s->ja = NULL;
    s->ar = NULL;
    return CGLPK_OK;
}

static void load_body(cglpk_session *s) { cglpk_load(s); }

int cglpk_load_only(const cglpk_problem *problem, cglpk_result *result) {
    if (!result) return CGLPK_ERROR_BAD_INPUT;
    memset(result, 0, sizeof *result);
    static const cglpk_options quiet; /* not verbose, default log limit */
    cglpk_session *s = cglpk_session_new(problem, &quiet, result);
    if (!s) {
        cglpk_fail(result, CGLPK_ERROR_NO_MEMORY, "out of memory");
        return result->error;
    }
    cglpk_run_guarded(s, load_body);
    cglpk_session_finish(s);
    return result->error;
}

#endif

/* Persistent models: one glp_prob kept between calls on its thread, edited in place and re-solved
 * from the basis it holds. Every call checks its arguments first (GLPK aborts on a bad index) and
 * then runs its GLPK part under the same error hook as a one-shot solve. */
#include "cglpk_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if CGLPK_HAVE_GLPK

struct cglpk_model {
    glp_prob *lp;
    /* A GLPK failure or an abandoned LP phase freed the environment, and the problem with it. */
    int lost;
    /* A solve has run: the problem's basis is worth starting from. */
    int solved;
};

/* Starts a call on the model: a fresh result and a session that keeps the problem. */
static cglpk_session *begin(cglpk_model *m, const cglpk_options *options, cglpk_result *r) {
    cglpk_result_reset(r);
    static const cglpk_options quiet; /* not verbose, default log limit */
    cglpk_session *s = cglpk_session_new(NULL, options ? options : &quiet, r);
    if (!s) {
        cglpk_fail(r, CGLPK_ERROR_NO_MEMORY, "out of memory");
        return NULL;
    }
    s->keep = 1;
    s->lp = m ? m->lp : NULL;
    return s;
}

/* Runs body under the error hook; a GLPK failure loses the model. */
static int run(cglpk_model *m, cglpk_session *s, void (*body)(cglpk_session *)) {
    cglpk_result *r = s->result;
    cglpk_run_guarded(s, body);
    if (r->error == CGLPK_ERROR_GLPK || r->abandoned) {
        /* The environment was freed, and the problem with it. */
        m->lp = NULL;
        m->lost = 1;
    }
    cglpk_session_finish(s);
    return r->error;
}

/* The checks every edit makes before GLPK sees anything. */
static int usable(const cglpk_model *m, cglpk_result *r) {
    if (!r) return CGLPK_ERROR_BAD_INPUT;
    cglpk_result_reset(r);
    if (!m) {
        cglpk_fail(r, CGLPK_ERROR_BAD_INPUT, "no model given");
    } else if (m->lost) {
        cglpk_fail(r, CGLPK_ERROR_BAD_INPUT, "the model was lost to an earlier GLPK failure");
    }
    return r->error;
}

static int check_indices(int count, const int32_t *indices, int limit, const char *what, int allow_minus_one,
                         cglpk_result *r) {
    if (count < 0 || (count > 0 && !indices)) {
        cglpk_fail(r, CGLPK_ERROR_BAD_INPUT, "%d %s without an index array", count, what);
        return r->error;
    }
    for (int k = 0; k < count; k++) {
        int32_t index = indices[k];
        if (index >= limit || index < (allow_minus_one ? -1 : 0)) {
            cglpk_fail(r, CGLPK_ERROR_BAD_INPUT, "%s index %d outside 0..<%d", what, index, limit);
            return r->error;
        }
    }
    return CGLPK_OK;
}

static int check_bounds(int count, const double *lower, const double *upper, const char *what, cglpk_result *r) {
    if (count > 0 && (!lower || !upper)) {
        cglpk_fail(r, CGLPK_ERROR_BAD_INPUT, "%s bounds missing", what);
        return r->error;
    }
    for (int k = 0; k < count; k++) {
        if (isnan(lower[k]) || isnan(upper[k]) || lower[k] > upper[k] || lower[k] == INFINITY || upper[k] == -INFINITY) {
            cglpk_fail(r, CGLPK_ERROR_BAD_INPUT, "%s bounds [%g, %g] at position %d are not a range", what, lower[k],
                       upper[k], k);
            return r->error;
        }
    }
    return CGLPK_OK;
}

static int check_finite(int count, const double *values, const char *what, cglpk_result *r) {
    if (count > 0 && !values) {
        cglpk_fail(r, CGLPK_ERROR_BAD_INPUT, "%s values missing", what);
        return r->error;
    }
    for (int k = 0; k < count; k++) {
        if (!isfinite(values[k])) {
            cglpk_fail(r, CGLPK_ERROR_BAD_INPUT, "%s value %g at position %d is not finite", what, values[k], k);
            return r->error;
        }
    }
    return CGLPK_OK;
}

/* Sparse vectors of a batch (rows of an add_rows, columns of an add_columns): starts monotone from
 * 0, indices in range and distinct within each vector, values finite. */
static int check_vectors(int count, const intptr_t *starts, const int32_t *indices, const double *values, int limit,
                         const char *what, cglpk_result *r) {
    if (count > 0 && !starts) {
        cglpk_fail(r, CGLPK_ERROR_BAD_INPUT, "%s starts missing", what);
        return r->error;
    }
    if (count == 0) return CGLPK_OK;
    if (starts[0] != 0) {
        cglpk_fail(r, CGLPK_ERROR_BAD_INPUT, "%s starts must begin at 0", what);
        return r->error;
    }
    intptr_t total = starts[count];
    if (total > 0 && (!indices || !values)) {
        cglpk_fail(r, CGLPK_ERROR_BAD_INPUT, "%s entries missing", what);
        return r->error;
    }
    int *seen = calloc((size_t)limit + 1, sizeof(int));
    if (!seen) {
        cglpk_fail(r, CGLPK_ERROR_NO_MEMORY, "out of memory");
        return r->error;
    }
    for (int k = 0; k < count && r->error == CGLPK_OK; k++) {
        if (starts[k + 1] < starts[k]) {
            cglpk_fail(r, CGLPK_ERROR_BAD_INPUT, "%s starts decrease at %d", what, k);
            break;
        }
        for (intptr_t e = starts[k]; e < starts[k + 1]; e++) {
            int32_t index = indices[e];
            if (index < 0 || index >= limit) {
                cglpk_fail(r, CGLPK_ERROR_BAD_INPUT, "%s %d: index %d outside 0..<%d", what, k, index, limit);
                break;
            }
            if (seen[index] == k + 1) {
                cglpk_fail(r, CGLPK_ERROR_BAD_INPUT, "%s %d: index %d appears twice", what, k, index);
                break;
            }
            seen[index] = k + 1;
            if (!isfinite(values[e])) {
                cglpk_fail(r, CGLPK_ERROR_BAD_INPUT, "%s %d: value %g is not finite", what, k, values[e]);
                break;
            }
        }
    }
    free(seen);
    return r->error;
}

/* ---- Creating and freeing ---------------------------------------------------------------- */

static void new_body(cglpk_session *s) { cglpk_load(s); }

cglpk_model *cglpk_model_new(const cglpk_problem *problem, cglpk_result *result) {
    if (!result) return NULL;
    cglpk_model *m = calloc(1, sizeof *m);
    if (!m) {
        memset(result, 0, sizeof *result);
        cglpk_fail(result, CGLPK_ERROR_NO_MEMORY, "out of memory");
        return NULL;
    }
    cglpk_session *s = begin(NULL, NULL, result);
    if (!s) {
        free(m);
        return NULL;
    }
    s->problem = problem;
    cglpk_run_guarded(s, new_body);
    glp_prob *lp = s->lp;
    cglpk_session_finish(s);
    if (result->error != CGLPK_OK) {
        /* A check failed after the problem was created (the GLPK-failure path has freed it). */
        if (result->error != CGLPK_ERROR_GLPK && lp) {
            glp_delete_prob(lp);
            glp_free_env();
        }
        free(m);
        return NULL;
    }
    m->lp = lp;
    return m;
}

void cglpk_model_free(cglpk_model *m) {
    if (!m) return;
    if (m->lp) {
        glp_delete_prob(m->lp);
        glp_free_env();
    }
    free(m);
}

int cglpk_model_is_lost(const cglpk_model *m) { return m ? m->lost : 1; }
int cglpk_model_has_basis(const cglpk_model *m) { return m && !m->lost && m->solved; }
int cglpk_model_rows(const cglpk_model *m) { return m && m->lp ? glp_get_num_rows(m->lp) : 0; }
int cglpk_model_columns(const cglpk_model *m) { return m && m->lp ? glp_get_num_cols(m->lp) : 0; }

/* ---- Edits ------------------------------------------------------------------------------- */

/* The arguments of one edit, handed to its body through session->context. */
typedef struct {
    int count;
    const int32_t *indices, *second;
    const double *lower, *upper, *values, *objective;
    const bool *flags;
    const intptr_t *starts;
    const int *list; /* 1-based deletion list */
    int maximize;
} edit_args;

static int edit(cglpk_model *m, cglpk_result *r, const edit_args *args, void (*body)(cglpk_session *)) {
    cglpk_session *s = begin(m, NULL, r);
    if (!s) return r->error;
    s->context = args;
    return run(m, s, body);
}

static void column_bounds_body(cglpk_session *s) {
    const edit_args *a = s->context;
    for (int k = 0; k < a->count; k++) {
        double lower = a->lower[k], upper = a->upper[k];
        glp_set_col_bnds(s->lp, a->indices[k] + 1, cglpk_bound_type(lower, upper), cglpk_finite_or_zero(lower),
                         cglpk_finite_or_zero(upper));
    }
}

int cglpk_model_set_column_bounds(cglpk_model *m, int count, const int32_t *columns, const double *lower,
                                  const double *upper, cglpk_result *r) {
    if (usable(m, r) || check_indices(count, columns, glp_get_num_cols(m->lp), "column", 0, r) ||
        check_bounds(count, lower, upper, "column", r))
        return r->error;
    edit_args a = {.count = count, .indices = columns, .lower = lower, .upper = upper};
    return edit(m, r, &a, column_bounds_body);
}

static void row_bounds_body(cglpk_session *s) {
    const edit_args *a = s->context;
    for (int k = 0; k < a->count; k++) {
        double lower = a->lower[k], upper = a->upper[k];
        glp_set_row_bnds(s->lp, a->indices[k] + 1, cglpk_bound_type(lower, upper), cglpk_finite_or_zero(lower),
                         cglpk_finite_or_zero(upper));
    }
}

int cglpk_model_set_row_bounds(cglpk_model *m, int count, const int32_t *rows, const double *lower,
                               const double *upper, cglpk_result *r) {
    if (usable(m, r) || check_indices(count, rows, glp_get_num_rows(m->lp), "row", 0, r) ||
        check_bounds(count, lower, upper, "row", r))
        return r->error;
    edit_args a = {.count = count, .indices = rows, .lower = lower, .upper = upper};
    return edit(m, r, &a, row_bounds_body);
}

static void objective_body(cglpk_session *s) {
    const edit_args *a = s->context;
    for (int k = 0; k < a->count; k++) glp_set_obj_coef(s->lp, a->indices[k] + 1, a->values[k]);
}

int cglpk_model_set_objective(cglpk_model *m, int count, const int32_t *columns, const double *values,
                              cglpk_result *r) {
    if (usable(m, r) || check_indices(count, columns, glp_get_num_cols(m->lp), "column", 1, r) ||
        check_finite(count, values, "objective", r))
        return r->error;
    edit_args a = {.count = count, .indices = columns, .values = values};
    return edit(m, r, &a, objective_body);
}

static void sense_body(cglpk_session *s) {
    const edit_args *a = s->context;
    glp_set_obj_dir(s->lp, a->maximize ? GLP_MAX : GLP_MIN);
}

int cglpk_model_set_sense(cglpk_model *m, int maximize, cglpk_result *r) {
    if (usable(m, r)) return r->error;
    edit_args a = {.maximize = maximize};
    return edit(m, r, &a, sense_body);
}

static void integer_body(cglpk_session *s) {
    const edit_args *a = s->context;
    for (int k = 0; k < a->count; k++) glp_set_col_kind(s->lp, a->indices[k] + 1, a->flags[k] ? GLP_IV : GLP_CV);
}

int cglpk_model_set_integer(cglpk_model *m, int count, const int32_t *columns, const bool *is_integer,
                            cglpk_result *r) {
    if (usable(m, r) || check_indices(count, columns, glp_get_num_cols(m->lp), "column", 0, r)) return r->error;
    if (count > 0 && !is_integer) {
        cglpk_fail(r, CGLPK_ERROR_BAD_INPUT, "integrality flags missing");
        return r->error;
    }
    edit_args a = {.count = count, .indices = columns, .flags = is_integer};
    return edit(m, r, &a, integer_body);
}

/* Each (row, column, value) rewrites its row: read it, change, add or drop the entry, write it
 * back. GLPK has no call for one entry; a row costs its length. */
static void coefficients_body(cglpk_session *s) {
    const edit_args *a = s->context;
    int n = glp_get_num_cols(s->lp);
    int *index = malloc(sizeof(int) * ((size_t)n + 2));
    double *value = malloc(sizeof(double) * ((size_t)n + 2));
    if (!index || !value) {
        free(index);
        free(value);
        cglpk_fail(s->result, CGLPK_ERROR_NO_MEMORY, "out of memory for a row of %d entries", n);
        return;
    }
    for (int k = 0; k < a->count; k++) {
        int row = a->indices[k] + 1, column = a->second[k] + 1;
        int length = glp_get_mat_row(s->lp, row, index, value);
        int at = 0;
        for (int e = 1; e <= length; e++) {
            if (index[e] == column) at = e;
        }
        if (a->values[k] == 0.0) {
            if (at == 0) continue;
            index[at] = index[length];
            value[at] = value[length];
            length--;
        } else if (at) {
            value[at] = a->values[k];
        } else {
            length++;
            index[length] = column;
            value[length] = a->values[k];
        }
        glp_set_mat_row(s->lp, row, length, index, value);
    }
    free(index);
    free(value);
}

int cglpk_model_set_coefficients(cglpk_model *m, int count, const int32_t *rows, const int32_t *columns,
                                 const double *values, cglpk_result *r) {
    if (usable(m, r) || check_indices(count, rows, glp_get_num_rows(m->lp), "row", 0, r) ||
        check_indices(count, columns, glp_get_num_cols(m->lp), "column", 0, r) ||
        check_finite(count, values, "coefficient", r))
        return r->error;
    edit_args a = {.count = count, .indices = rows, .second = columns, .values = values};
    return edit(m, r, &a, coefficients_body);
}

/* The 1-based copy of one sparse vector GLPK wants (index 0 unused). */
static int one_based(cglpk_session *s, const edit_args *a, int k, int **index, double **value) {
    intptr_t first = a->starts[k];
    int length = (int)(a->starts[k + 1] - first);
    *index = malloc(sizeof(int) * ((size_t)length + 1));
    *value = malloc(sizeof(double) * ((size_t)length + 1));
    if (!*index || !*value) {
        free(*index);
        free(*value);
        cglpk_fail(s->result, CGLPK_ERROR_NO_MEMORY, "out of memory for %d entries", length);
        return -1;
    }
    for (int e = 0; e < length; e++) {
        (*index)[e + 1] = a->second[first + e] + 1;
        (*value)[e + 1] = a->values[first + e];
    }
    return length;
}

static void add_rows_body(cglpk_session *s) {
    const edit_args *a = s->context;
    if (a->count == 0) return;
    int first = glp_add_rows(s->lp, a->count);
    for (int k = 0; k < a->count; k++) {
        int row = first + k;
        double lower = a->lower[k], upper = a->upper[k];
        glp_set_row_bnds(s->lp, row, cglpk_bound_type(lower, upper), cglpk_finite_or_zero(lower),
                         cglpk_finite_or_zero(upper));
        int *index;
        double *value;
        int length = one_based(s, a, k, &index, &value);
        if (length < 0) return;
        glp_set_mat_row(s->lp, row, length, index, value);
        free(index);
        free(value);
    }
}

int cglpk_model_add_rows(cglpk_model *m, int count, const double *lower, const double *upper, const intptr_t *starts,
                         const int32_t *columns, const double *values, cglpk_result *r) {
    if (usable(m, r)) return r->error;
    if (count < 0) {
        cglpk_fail(r, CGLPK_ERROR_BAD_INPUT, "%d rows to add", count);
        return r->error;
    }
    if (check_bounds(count, lower, upper, "row", r) ||
        check_vectors(count, starts, columns, values, glp_get_num_cols(m->lp), "row", r))
        return r->error;
    edit_args a = {.count = count, .lower = lower, .upper = upper, .starts = starts, .second = columns, .values = values};
    return edit(m, r, &a, add_rows_body);
}

static void add_columns_body(cglpk_session *s) {
    const edit_args *a = s->context;
    if (a->count == 0) return;
    int first = glp_add_cols(s->lp, a->count);
    for (int k = 0; k < a->count; k++) {
        int column = first + k;
        double lower = a->lower[k], upper = a->upper[k];
        glp_set_col_bnds(s->lp, column, cglpk_bound_type(lower, upper), cglpk_finite_or_zero(lower),
                         cglpk_finite_or_zero(upper));
        glp_set_obj_coef(s->lp, column, a->objective[k]);
        if (a->flags && a->flags[k]) glp_set_col_kind(s->lp, column, GLP_IV);
        int *index;
        double *value;
        int length = one_based(s, a, k, &index, &value);
        if (length < 0) return;
        glp_set_mat_col(s->lp, column, length, index, value);
        free(index);
        free(value);
    }
}

int cglpk_model_add_columns(cglpk_model *m, int count, const double *objective, const double *lower,
                            const double *upper, const bool *is_integer, const intptr_t *starts,
                            const int32_t *rows, const double *values, cglpk_result *r) {
    if (usable(m, r)) return r->error;
    if (count < 0) {
        cglpk_fail(r, CGLPK_ERROR_BAD_INPUT, "%d columns to add", count);
        return r->error;
    }
    if (check_bounds(count, lower, upper, "column", r) || check_finite(count, objective, "objective", r) ||
        check_vectors(count, starts, rows, values, glp_get_num_rows(m->lp), "column", r))
        return r->error;
    edit_args a = {.count = count, .objective = objective, .lower = lower, .upper = upper, .flags = is_integer,
                   .starts = starts, .second = rows, .values = values};
    return edit(m, r, &a, add_columns_body);
}

/* A 1-based array of distinct indices, as glp_del_rows / glp_del_cols want. */
static int *deletion_list(int count, const int32_t *indices, int limit, const char *what, cglpk_result *r) {
    if (check_indices(count, indices, limit, what, 0, r)) return NULL;
    int *list = malloc(sizeof(int) * ((size_t)count + 1));
    char *seen = calloc((size_t)limit + 1, 1);
    if (!list || !seen) {
        free(list);
        free(seen);
        cglpk_fail(r, CGLPK_ERROR_NO_MEMORY, "out of memory");
        return NULL;
    }
    for (int k = 0; k < count; k++) {
        if (seen[indices[k]]) {
            cglpk_fail(r, CGLPK_ERROR_BAD_INPUT, "%s %d listed twice for deletion", what, indices[k]);
            free(list);
            free(seen);
            return NULL;
        }
        seen[indices[k]] = 1;
        list[k + 1] = indices[k] + 1;
    }
    free(seen);
    return list;
}

static void delete_rows_body(cglpk_session *s) {
    const edit_args *a = s->context;
    glp_del_rows(s->lp, a->count, a->list);
}

static void delete_columns_body(cglpk_session *s) {
    const edit_args *a = s->context;
    glp_del_cols(s->lp, a->count, a->list);
}

static int delete(cglpk_model *m, int count, const int32_t *indices, int rows, cglpk_result *r) {
    if (usable(m, r)) return r->error;
    if (count == 0) return CGLPK_OK;
    const char *what = rows ? "row" : "column";
    int *list = deletion_list(count, indices, rows ? glp_get_num_rows(m->lp) : glp_get_num_cols(m->lp), what, r);
    if (!list) return r->error;
    edit_args a = {.count = count, .list = list};
    int code = edit(m, r, &a, rows ? delete_rows_body : delete_columns_body);
    free(list);
    return code;
}

int cglpk_model_delete_rows(cglpk_model *m, int count, const int32_t *rows, cglpk_result *r) {
    return delete(m, count, rows, 1, r);
}

int cglpk_model_delete_columns(cglpk_model *m, int count, const int32_t *columns, cglpk_result *r) {
    return delete(m, count, columns, 0, r);
}

/* ---- Solving ----------------------------------------------------------------------------- */

int cglpk_model_solve(cglpk_model *m, const cglpk_options *options, cglpk_result *r) {
    if (usable(m, r)) return r->error;
    if (!options || (glp_get_num_cols(m->lp) > 0 && !r->values)) {
        cglpk_fail(r, CGLPK_ERROR_BAD_INPUT, "options or the values array missing");
        return r->error;
    }
    cglpk_session *s = begin(m, options, r);
    if (!s) return r->error;
    s->warm_basis = m->solved;
    int code = run(m, s, cglpk_solve_loaded);
    if (code == CGLPK_OK) m->solved = 1;
    return code;
}

#else /* no glpk.h */

static int unavailable(cglpk_result *r) {
    if (!r) return CGLPK_ERROR_UNAVAILABLE;
    memset(r, 0, sizeof *r);
    r->error = CGLPK_ERROR_UNAVAILABLE;
    snprintf(r->message, sizeof r->message, "GPUPool was built without GLPK (glpk.h not found)");
    return r->error;
}

cglpk_model *cglpk_model_new(const cglpk_problem *problem, cglpk_result *result) {
    (void)problem;
    unavailable(result);
    return NULL;
}
void cglpk_model_free(cglpk_model *model) { (void)model; }
int cglpk_model_is_lost(const cglpk_model *model) { (void)model; return 1; }
int cglpk_model_has_basis(const cglpk_model *model) { (void)model; return 0; }
int cglpk_model_rows(const cglpk_model *model) { (void)model; return 0; }
int cglpk_model_columns(const cglpk_model *model) { (void)model; return 0; }
int cglpk_model_set_column_bounds(cglpk_model *m, int c, const int32_t *i, const double *l, const double *u, cglpk_result *r) {
    (void)m; (void)c; (void)i; (void)l; (void)u;
    return unavailable(r);
}
int cglpk_model_set_row_bounds(cglpk_model *m, int c, const int32_t *i, const double *l, const double *u, cglpk_result *r) {
    (void)m; (void)c; (void)i; (void)l; (void)u;
    return unavailable(r);
}
int cglpk_model_set_objective(cglpk_model *m, int c, const int32_t *i, const double *v, cglpk_result *r) {
    (void)m; (void)c; (void)i; (void)v;
    return unavailable(r);
}
int cglpk_model_set_sense(cglpk_model *m, int maximize, cglpk_result *r) {
    (void)m; (void)maximize;
    return unavailable(r);
}
int cglpk_model_set_integer(cglpk_model *m, int c, const int32_t *i, const bool *f, cglpk_result *r) {
    (void)m; (void)c; (void)i; (void)f;
    return unavailable(r);
}
int cglpk_model_set_coefficients(cglpk_model *m, int c, const int32_t *i, const int32_t *j, const double *v, cglpk_result *r) {
    (void)m; (void)c; (void)i; (void)j; (void)v;
    return unavailable(r);
}
int cglpk_model_add_rows(cglpk_model *m, int c, const double *l, const double *u, const intptr_t *s, const int32_t *j,
                         const double *v, cglpk_result *r) {
    (void)m; (void)c; (void)l; (void)u; (void)s; (void)j; (void)v;
    return unavailable(r);
}
int cglpk_model_add_columns(cglpk_model *m, int c, const double *o, const double *l, const double *u, const bool *f,
                            const intptr_t *s, const int32_t *i, const double *v, cglpk_result *r) {
    (void)m; (void)c; (void)o; (void)l; (void)u; (void)f; (void)s; (void)i; (void)v;
    return unavailable(r);
}
int cglpk_model_delete_rows(cglpk_model *m, int c, const int32_t *i, cglpk_result *r) {
    (void)m; (void)c; (void)i;
    return unavailable(r);
}
int cglpk_model_delete_columns(cglpk_model *m, int c, const int32_t *i, cglpk_result *r) {
    (void)m; (void)c; (void)i;
    return unavailable(r);
}
int cglpk_model_solve(cglpk_model *m, const cglpk_options *o, cglpk_result *r) {
    (void)m; (void)o;
    return unavailable(r);
}

#endif

/* One shim call's lifecycle: output capture, the error hook and its longjmp, cleanup. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include "cglpk_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int cglpk_available(void) { return CGLPK_HAVE_GLPK; }

void cglpk_free(void *pointer) { free(pointer); }

void cglpk_flag_raise(int *flag) {
    if (flag) __atomic_store_n(flag, 1, __ATOMIC_RELEASE);
}

int cglpk_flag_read(const int *flag) {
    return flag ? __atomic_load_n(flag, __ATOMIC_ACQUIRE) : 0;
}

#if CGLPK_HAVE_GLPK

enum { DEFAULT_LOG_LIMIT = 1 << 20, MIN_LOG_LIMIT = 4096 };

double cglpk_now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1000.0 + (double)t.tv_nsec / 1.0e6;
}

void cglpk_result_reset(cglpk_result *r) {
    double *values = r->values, *row_duals = r->row_duals, *column_duals = r->column_duals;
    memset(r, 0, sizeof *r);
    r->values = values;
    r->row_duals = row_duals;
    r->column_duals = column_duals;
    r->lp_return = r->lp_status = -1;
    r->mip_return = r->mip_status = -1;
}

void cglpk_fail(cglpk_result *result, int code, const char *format, ...) {
    result->error = code;
    va_list args;
    va_start(args, format);
    vsnprintf(result->message, sizeof result->message, format, args);
    va_end(args);
}

/* Appends to the log, keeping at most log_limit bytes: when full, the oldest half goes, so the
 * cost stays linear in the output however long it gets. */
static void log_append(cglpk_session *s, const char *text, size_t length) {
    if (length >= s->log_limit) {
        text += length - s->log_limit / 2;
        length = s->log_limit / 2;
        s->log_length = 0;
        s->log_truncated = 1;
    }
    if (s->log_length + length > s->log_limit) {
        size_t drop = s->log_length - s->log_limit / 2;
        if (drop > s->log_length) drop = s->log_length;
        memmove(s->log, s->log + drop, s->log_length - drop);
        s->log_length -= drop;
        s->log_truncated = 1;
    }
    if (s->log_length + length + 1 > s->log_capacity) {
        size_t capacity = s->log_capacity ? s->log_capacity : 4096;
        while (capacity < s->log_length + length + 1) capacity *= 2;
        if (capacity > s->log_limit + 1) capacity = s->log_limit + 1;
        char *grown = realloc(s->log, capacity);
        if (!grown) return; /* drop output rather than fail the solve */
        s->log = grown;
        s->log_capacity = capacity;
    }
    memcpy(s->log + s->log_length, text, length);
    s->log_length += length;
    s->log[s->log_length] = '\0';
}

static void recent_append(cglpk_session *s, const char *text, size_t length) {
    const size_t capacity = sizeof s->recent - 1;
    if (length >= capacity) {
        text += length - capacity;
        length = capacity;
    }
    if (s->recent_length + length > capacity) {
        size_t drop = s->recent_length + length - capacity;
        memmove(s->recent, s->recent + drop, s->recent_length - drop);
        s->recent_length -= drop;
    }
    memcpy(s->recent + s->recent_length, text, length);
    s->recent_length += length;
    s->recent[s->recent_length] = '\0';
}

static int term_hook(void *info, const char *text) {
    cglpk_session *s = info;
    size_t length = strlen(text);
    /* A watched LP phase prints its progress only so that this hook runs: in quiet mode that text
     * is not kept (the quiet log holds warnings and errors only), but stays in `recent` for an
     * error message. */
    if (!s->watching || s->echo) log_append(s, text, length);
    recent_append(s, text, length);
    if (s->echo) fputs(text, stderr);
    if (s->watching) {
        /* GLPK's simplex and interior point look at neither the interrupt flag nor (interior
         * point) the clock: their progress output is the one place this thread runs during them.
         * Leaving through the same longjmp as the error hook abandons the phase; the environment,
         * with everything the phase allocated, is freed after it. */
        int stop = cglpk_flag_read(s->options->interrupt);
        int late = s->options->time_limit_ms >= 0 && cglpk_now_ms() - s->start_ms >= s->options->time_limit_ms;
        if (stop || late) {
            if (stop) s->result->interrupted = 1;
            if (late) s->result->out_of_time = 1;
            s->watching = 0;
            longjmp(s->jump, 2);
        }
    }
    return 1; /* GLPK itself prints nothing */
}

static void error_hook(void *info) {
    cglpk_session *s = info;
    longjmp(s->jump, 1);
}

/* The last two lines GLPK printed, e.g. "glp_set_row_name: i = 7; row number out of range;
 * Error detected in file api/prob1.c at line 335". */
static void error_message(cglpk_session *s, char *out, size_t size) {
    char *text = s->recent;
    size_t end = s->recent_length;
    while (end > 0 && (text[end - 1] == '\n' || text[end - 1] == ' ')) end--;
    size_t start = end;
    int lines = 0;
    while (start > 0) {
        if (text[start - 1] == '\n' && ++lines == 2) break;
        start--;
    }
    char line[sizeof s->recent];
    size_t n = 0;
    for (size_t k = start; k < end && n + 2 < sizeof line; k++) {
        if (text[k] == '\n') {
            line[n++] = ';';
            line[n++] = ' ';
        } else {
            line[n++] = text[k];
        }
    }
    line[n] = '\0';
    snprintf(out, size, "GLPK error: %s", n ? line : "(no message)");
}

cglpk_session *cglpk_session_new(const cglpk_problem *problem, const cglpk_options *options,
                                 cglpk_result *result) {
    cglpk_session *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->problem = problem;
    s->options = options;
    s->result = result;
    s->log_limit = options && options->log_limit ? options->log_limit : DEFAULT_LOG_LIMIT;
    if (s->log_limit < MIN_LOG_LIMIT) s->log_limit = MIN_LOG_LIMIT;
    s->echo = options ? options->verbose : 0;
    s->start_ms = cglpk_now_ms();
    return s;
}

static void release_arrays(cglpk_session *s) {
    free(s->ja);
    free(s->ar);
    free(s->warm_start);
    s->ja = NULL;
    s->ar = s->warm_start = NULL;
}

int cglpk_run_guarded(cglpk_session *s, void (*body)(cglpk_session *)) {
    /* An environment left on this thread by someone else would be freed below; GPUPool is the only
     * GLPK user in its process and never keeps one between calls. */
    glp_term_hook(term_hook, s);
    glp_error_hook(error_hook, s);
    int jumped = setjmp(s->jump);
    if (jumped == 0) {
        body(s);
        if (s->keep && s->result->error != CGLPK_ERROR_GLPK) {
            /* A persistent model lives on: its problem and environment stay for the next call, and
             * no hook may point at this call's session after it ends. */
            glp_term_hook(NULL, NULL);
            glp_error_hook(NULL, NULL);
            release_arrays(s);
            return s->result->error;
        }
        if (s->lp) glp_delete_prob(s->lp);
        s->lp = NULL;
    } else if (jumped == 2) {
        /* A watched LP phase was abandoned (interrupt or time limit): no error, no point. The
         * environment goes below, and with it the problem (a persistent model is lost). */
        s->lp = NULL;
        s->result->abandoned = 1;
        s->result->lp_return = -1;
        s->result->lp_status = -1;
        s->result->solution_kind = CGLPK_SOLUTION_NONE;
    } else {
        /* GLPK's state is unusable now; glp_free_env releases every object, s->lp included. */
        s->lp = NULL;
        s->result->solution_kind = CGLPK_SOLUTION_NONE;
        s->result->error = CGLPK_ERROR_GLPK;
        error_message(s, s->result->message, sizeof s->result->message);
    }
    glp_free_env();
    release_arrays(s);
    return s->result->error;
}

void cglpk_session_finish(cglpk_session *s) {
    s->result->log = s->log;
    s->result->log_length = s->log ? s->log_length : 0;
    s->result->log_truncated = s->log_truncated;
    free(s);
}

void cglpk_version(char *buffer, size_t size) {
    if (!buffer || size == 0) return;
    int fresh = glp_init_env() == 0;
    snprintf(buffer, size, "%s", glp_version());
    if (fresh) glp_free_env();
}

static void provoke_body(cglpk_session *s) {
    s->lp = glp_create_prob();
    glp_add_rows(s->lp, 2);
    glp_add_cols(s->lp, 2);
    if (s->self_test_kind == 0) {
        glp_set_row_name(s->lp, 7, "out_of_range");
    } else {
        int index[3] = {0, 1, 1};
        double value[3] = {0, 1.0, 2.0};
        glp_set_mat_row(s->lp, 1, 2, index, value);
    }
    cglpk_fail(s->result, CGLPK_OK, "GLPK accepted the misuse");
}

int cglpk_provoke_error(int kind, cglpk_result *result) {
    memset(result, 0, sizeof *result);
    static cglpk_options quiet; /* zero: not verbose, default log limit */
    cglpk_session *s = cglpk_session_new(NULL, &quiet, result);
    if (!s) {
        cglpk_fail(result, CGLPK_ERROR_NO_MEMORY, "out of memory");
        return result->error;
    }
    s->self_test_kind = kind;
    cglpk_run_guarded(s, provoke_body);
    cglpk_session_finish(s);
    return result->error;
}

#else /* no glpk.h */

void cglpk_version(char *buffer, size_t size) {
    if (buffer && size) buffer[0] = '\0';
}

static int unavailable(cglpk_result *result) {
    if (!result) return CGLPK_ERROR_UNAVAILABLE;
    memset(result, 0, sizeof *result);
    result->error = CGLPK_ERROR_UNAVAILABLE;
    snprintf(result->message, sizeof result->message, "GPUPool was built without GLPK (glpk.h not found)");
    return result->error;
}

int cglpk_solve(const cglpk_problem *problem, const cglpk_options *options, cglpk_result *result) {
    (void)problem;
    (void)options;
    return unavailable(result);
}

int cglpk_load_only(const cglpk_problem *problem, cglpk_result *result) {
    (void)problem;
    return unavailable(result);
}

int cglpk_provoke_error(int kind, cglpk_result *result) {
    (void)kind;
    return unavailable(result);
}

#endif

/* test_tui_keys.c — the workbench's key tables and reaction bits, without a terminal:
 * a key that changes nothing asks for no redraw (R_NONE), a key that changes something
 * asks for one, and every screen of the table routes its own keys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <ncurses.h>

#include "app/tui/app.h"
#include "test_run_util.h"

static tui_app app;

static void fake_run(tui_run *r, const char *name, int n)
{
    memset(r, 0, sizeof *r);
    snprintf(r->name, sizeof r->name, "%s", name);
    cs_run_config_init(&r->cfg);
    r->hist = calloc((size_t)n, sizeof *r->hist);
    r->n_hist = (size_t)n;
    for (int e = 0; e < n; e++) r->hist[e].epoch = e + 1;
}

static int setup(void **st)
{
    (void)st;
    memset(&app, 0, sizeof app);
    tui_screens_reset();
    cs_run_config_init(&app.cfg);
    snprintf(app.runs_dir, sizeof app.runs_dir, "/nonexistent/clickseq-test-runs");
    tui_form_select("cell");
    return 0;
}

static int teardown(void **st)
{
    (void)st;
    tui_screens_reset();
    return 0;
}

/* tui_route returns what the action returns: no redraw is added on the way. */
static int act_none(tui_app *a) { (void)a; return R_NONE; }
static int act_quit(tui_app *a) { (void)a; return R_QUIT; }
static void test_route_keeps_the_bits(void **st)
{
    (void)st;
    static const tui_key t[] = {{'a', 0, act_none, NULL}, {'b', 0, act_quit, NULL},
                                {KEY_UP, 1, act_none, NULL}, {0, 0, NULL, NULL}};
    assert_int_equal(tui_route(&app, t, 'a', 0), R_NONE);
    assert_int_equal(tui_route(&app, t, 'b', 0), R_QUIT);
    assert_int_equal(tui_route(&app, t, KEY_UP, 1), R_NONE);
    assert_int_equal(tui_route(&app, t, KEY_UP, 0), -1);   /* the fn flag is part of the key */
    assert_int_equal(tui_route(&app, t, 'z', 0), -1);
}

/* Every screen in the table has a name, a draw function and a key table. */
static void test_every_screen_has_a_row(void **st)
{
    (void)st;
    for (int i = 0; i < SCR_COUNT; i++) {
        const tui_screen *s = tui_screen_of((tui_screen_id)i);
        assert_non_null(s);
        assert_non_null(s->name);
        assert_non_null(s->draw);
        assert_non_null(s->keys);
        assert_non_null(s->state);
    }
    assert_ptr_equal(tui_screen_of(SCR_COMPARE), &tui_compare_screen);
    assert_ptr_equal(tui_screen_of(SCR_REPLAY)->state, tui_replay());
}

static void test_main_keys(void **st)
{
    (void)st;
    tui_main_state *m = tui_main();
    /* an unbound key, and Left/Right with the runs pane focused: nothing changes */
    assert_int_equal(tui_handle_key(&app, 'Z', 0), R_NONE);
    assert_int_equal(tui_handle_key(&app, '\t', 0), R_REDRAW);
    assert_int_equal(m->focus, 1);
    assert_int_equal(tui_handle_key(&app, KEY_LEFT, 1), R_NONE);
    assert_int_equal(tui_handle_key(&app, ' ', 0) & R_REDRAW, R_REDRAW);   /* "no run selected" */
    /* the runs list: at either end Up/Down change nothing */
    app.nruns = 2;
    snprintf(app.runs[0].name, sizeof app.runs[0].name, "old");
    snprintf(app.runs[1].name, sizeof app.runs[1].name, "new");
    assert_int_equal(tui_handle_key(&app, 'k', 0), R_NONE);
    assert_int_equal(tui_handle_key(&app, 'j', 0), R_REDRAW);
    assert_int_equal(app.runs_sel, 1);
    assert_int_equal(tui_handle_key(&app, KEY_DOWN, 1), R_NONE);
    assert_int_equal(tui_handle_key(&app, KEY_UP, 1), R_REDRAW);
    assert_int_equal(app.runs_sel, 0);
    /* back to the form: Down moves the selection; Right on an enum cycles it */
    assert_int_equal(tui_handle_key(&app, '\t', 0), R_REDRAW);
    int sel = m->form.sel;
    assert_int_equal(tui_handle_key(&app, 'j', 0), R_REDRAW);
    assert_int_not_equal(m->form.sel, sel);
    assert_int_equal(tui_handle_key(&app, 'k', 0), R_REDRAW);
    assert_int_equal(m->form.sel, sel);
    char v[64];
    cs_param_get(&app.cfg, "cell", v, sizeof v);
    assert_string_equal(v, "gru");
    assert_int_equal(tui_handle_key(&app, KEY_RIGHT, 1), R_REDRAW);
    cs_param_get(&app.cfg, "cell", v, sizeof v);
    assert_string_equal(v, "lstm");
    /* v cycles the narrow plot pane; :view loss when it shows the loss changes nothing */
    assert_int_equal(tui_handle_key(&app, 'v', 0), R_REDRAW);
    assert_int_equal(m->plot_view, 1);
    assert_int_equal(tui_exec_line(&app, "view metrics"), R_NONE);
    /* q quits */
    assert_int_equal(tui_handle_key(&app, 'q', 0), R_QUIT);
}

/* Typing a value: the grab hook takes every key; an edit that changes nothing is R_NONE. */
static void test_form_editing(void **st)
{
    (void)st;
    tui_form_select("hidden");
    assert_int_equal(tui_handle_key(&app, '\r', 0), R_REDRAW);
    tui_form *f = &tui_main()->form;
    assert_true(f->editing);
    while (f->edit[0]) assert_int_equal(tui_handle_key(&app, KEY_BACKSPACE, 1), R_REDRAW);
    assert_int_equal(tui_handle_key(&app, KEY_BACKSPACE, 1), R_NONE);   /* nothing to delete */
    assert_int_equal(tui_handle_key(&app, KEY_F(5), 1), R_NONE);
    assert_int_equal(tui_handle_key(&app, 'q', 0), R_REDRAW);          /* typed, not quit */
    assert_int_equal(tui_handle_key(&app, KEY_BACKSPACE, 1), R_REDRAW);
    assert_int_equal(tui_handle_key(&app, '4', 0), R_REDRAW);
    assert_int_equal(tui_handle_key(&app, '8', 0), R_REDRAW);
    assert_int_equal(tui_handle_key(&app, '\n', 0), R_REDRAW);
    assert_false(f->editing);
    assert_int_equal(app.cfg.model.hidden[0], 48);
    assert_string_equal(app.msg, "hidden = 48");
}

/* Left/Right follow the parameter table's step rule: sizes and rates double and halve,
 * integers step by 1, fractions by 0.05; text parameters are edited, not stepped. */
static void test_form_steps_by_the_table(void **st)
{
    (void)st;
    struct { const char *name; cs_step_rule rule; const char *start, *right, *left; } t[] = {
        {"hidden", CS_STEP_DOUBLE, "16", "32", "16"}, {"lr", CS_STEP_DOUBLE, "0.001", "0.002", "0.001"},
        {"batch", CS_STEP_DOUBLE, "64", "128", "64"}, {"epochs", CS_STEP_ADD, "10", "11", "10"},
        {"train-frac", CS_STEP_ADD, "0.7", "0.75", "0.7"}, {"clip", CS_STEP_ADD, "5", "5.5", "5"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        assert_int_equal(cs_param_find(t[i].name)->step, t[i].rule);
        assert_int_equal(cs_param_set(&app.cfg, t[i].name, t[i].start, NULL), CS_OK);
        tui_form_select(t[i].name);
        char v[64];
        assert_int_equal(tui_handle_key(&app, KEY_RIGHT, 1), R_REDRAW);
        cs_param_get(&app.cfg, t[i].name, v, sizeof v);
        assert_string_equal(v, t[i].right);
        assert_int_equal(tui_handle_key(&app, 'h', 0), R_REDRAW);
        cs_param_get(&app.cfg, t[i].name, v, sizeof v);
        assert_string_equal(v, t[i].left);
    }
    tui_form_select("name");
    assert_int_equal(tui_handle_key(&app, KEY_RIGHT, 1), R_REDRAW);
    assert_string_equal(app.msg, "name: Enter edits the text");
}

static void test_overlays(void **st)
{
    (void)st;
    assert_int_equal(tui_handle_key(&app, '?', 0), R_REDRAW);
    assert_true(app.help);
    assert_int_equal(tui_handle_key(&app, 'q', 0), R_REDRAW);   /* closes the help, no quit */
    assert_false(app.help);
    /* the command line: without Readline (tests) a key cancels it */
    assert_int_equal(tui_handle_key(&app, ':', 0), R_REDRAW);
    assert_true(app.cmdline);
    assert_int_equal(tui_handle_key(&app, 'x', 0), R_REDRAW);
    assert_false(app.cmdline);
    assert_int_equal(tui_handle_key(&app, KEY_RESIZE, 1), R_REDRAW);
}

static void fake_cs_run(cs_run *r, const char *name, const char *cell, int n, uint64_t seed)
{
    tu_fake_run(r, name, cell, seed, n);
    for (int e = 0; e < n; e++)
        r->hist[e].valid.pr_auc = 0.1 * (e + 1);
}

static void test_compare_keys(void **st)
{
    (void)st;
    cs_run *runs = calloc(3, sizeof *runs);
    fake_cs_run(&runs[0], "a-s1", "gru", 3, 1);
    fake_cs_run(&runs[1], "a-s2", "gru", 3, 2);
    fake_cs_run(&runs[2], "b", "lstm", 3, 1);
    assert_int_equal(tui_compare_show(&app, runs, 3), R_REDRAW);
    tui_compare_state *c = tui_compare();
    assert_int_equal(app.screen, SCR_COMPARE);
    assert_int_equal(c->rep.ng, 2);                      /* a-s1 + a-s2 are one seed group */
    assert_int_equal(c->rep.groups[0].n, 2);
    assert_int_equal(tui_handle_key(&app, 'z', 0), R_NONE);
    assert_int_equal(tui_handle_key(&app, KEY_LEFT, 1), R_NONE);
    assert_int_equal(tui_handle_key(&app, '[', 0), R_NONE);          /* already at the top */
    assert_int_equal(tui_handle_key(&app, 'O', 0), R_NONE);          /* no sort column yet */
    assert_int_equal(tui_handle_key(&app, 'm', 0), R_REDRAW);
    assert_int_equal(c->metric, 1);
    assert_int_equal(tui_handle_key(&app, 'x', 0), R_REDRAW);
    assert_int_equal(c->xmode, 1);
    assert_int_equal(tui_handle_key(&app, 'o', 0), R_REDRAW);
    assert_int_equal(c->sort, 1);
    assert_int_equal(tui_handle_key(&app, 'O', 0), R_REDRAW);
    assert_true(c->sort_desc);
    assert_int_equal(tui_main()->plot_view, 0);          /* view acts on the screen shown */
    assert_int_equal(tui_exec_line(&app, "view metrics"), R_REDRAW);  /* F1 */
    assert_int_equal(c->metric, TUI_CMP_F1);
    assert_int_equal(tui_exec_line(&app, "view metrics"), R_NONE);    /* already */
    /* export refuses an unknown extension */
    assert_int_equal(tui_exec_line(&app, "export /nonexistent/x.txt"), R_REDRAW);
    assert_true(app.msg_err);
    assert_int_equal(tui_handle_key(&app, 27, 0), R_REDRAW);
    assert_int_equal(app.screen, SCR_MAIN);
    assert_int_equal(tui_exec_line(&app, "main"), R_NONE);     /* already there */
}

static void test_replay_keys(void **st)
{
    (void)st;
    tui_replay_state *r = tui_replay();
    fake_run(&r->run, "rnn", 4);
    r->have = 1;
    r->speed = 2;
    r->paused = 1;
    app.screen = SCR_REPLAY;
    /* paused at the start: back and pause change nothing */
    assert_int_equal(tui_handle_key(&app, 'b', 0), R_NONE);
    assert_int_equal(tui_exec_line(&app, "pause"), R_NONE);
    assert_int_equal(tui_handle_key(&app, 'n', 0), R_REDRAW);
    assert_true(r->pos == 1.0);
    assert_int_equal(tui_handle_key(&app, '+', 0), R_REDRAW);
    assert_true(r->speed == 4.0);
    assert_int_equal(tui_exec_line(&app, "speed 4"), R_NONE);
    /* paused, the tick moves nothing; playing, it does */
    const tui_screen *s = tui_screen_cur(&app);
    assert_int_equal(s->tick(&app, 0.5), 0);
    assert_int_equal(tui_handle_key(&app, ' ', 0), R_REDRAW);
    assert_false(r->paused);
    assert_int_not_equal(s->tick(&app, 0.25), 0);
    assert_true(r->pos == 2.0);
    assert_int_equal(tui_handle_key(&app, 'q', 0), R_REDRAW);
    assert_int_equal(app.screen, SCR_MAIN);
}

static void test_early_keys(void **st)
{
    (void)st;
    app.screen = SCR_EARLY;
    assert_int_equal(tui_handle_key(&app, 'm', 0), R_NONE);
    assert_int_equal(tui_handle_key(&app, 'q', 0), R_REDRAW);
    assert_int_equal(app.screen, SCR_MAIN);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_route_keeps_the_bits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_screen_has_a_row, setup, teardown),
        cmocka_unit_test_setup_teardown(test_main_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_form_editing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_form_steps_by_the_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_overlays, setup, teardown),
        cmocka_unit_test_setup_teardown(test_compare_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_replay_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_early_keys, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

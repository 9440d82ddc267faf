#ifndef RALLY_CREADLINE_SHIM_H
#define RALLY_CREADLINE_SHIM_H
#include <stdio.h>
#include <readline/readline.h>
#include <readline/history.h>

/* Readline's configuration lives in global variables, which Swift 6 will not touch from
   Swift code; these setters do it in C. */
static inline void rally_rl_configure(rl_getc_func_t *next_key, rl_completion_func_t *complete) {
    static char breaks[] = " \t\n\"\\'`@$><=;|&{}()[],+-*/%^~#";
    rl_catch_signals = 0;
    rl_readline_name = "rally";
    rl_completer_word_break_characters = breaks;
    rl_attempted_completion_function = complete;
    rl_getc_function = next_key;
}

/* Called from the completion function: do not fall back to file-name completion. */
static inline void rally_rl_completion_over(void) { rl_attempted_completion_over = 1; }
#endif
